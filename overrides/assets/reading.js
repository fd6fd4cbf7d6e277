/* Reading on a phone, and narrowing the programme list. A table wider than the screen scrolls inside its own box (the page itself never slides
 * sideways), says so in a line that stays in view, and takes keyboard focus so it can be scrolled with the arrow
 * keys. The language switch keeps the reader's place: the same #anchor (paragraph, section, glossary term) on
 * the other language's page, from a server and from disk alike. */
(function () {
  "use strict";
  var zh = /^zh/.test(document.documentElement.lang);
  var HINT = zh ? "表格较宽，可左右滑动 ⇆" : "Wide table: swipe sideways ⇆";

  /* Material lets a table scroll inside itself (overflow: auto); our own tables' boxes keep to the screen's
     width (handbook.css), so whichever of the two overflows is the one to mark. */
  function markWideTables() {
    document.querySelectorAll(".md-typeset .md-typeset__table").forEach(function (box) {
      var table = box.querySelector("table");
      var scroller = table && table.scrollWidth > table.clientWidth + 1 ? table : box;
      var wide = scroller.scrollWidth > scroller.clientWidth + 1;
      box.classList.toggle("hb-scrolls", wide);
      // an attribute, not a class: Material styles only tables without a class
      [box, table].forEach(function (el) { if (el) el.toggleAttribute("data-hb-scroller", wide && el === scroller); });
      if (wide) {
        box.setAttribute("data-hint", HINT);
        scroller.setAttribute("tabindex", "0");  // keyboard users scroll it with the arrow keys
      } else if (box.hasAttribute("data-hint")) {
        box.removeAttribute("data-hint");
        scroller.removeAttribute("tabindex");
      }
    });
  }

  function keepPlace(event) {
    var link = event.target.closest ? event.target.closest("a[hreflang]") : null;
    if (!link) return;
    var hash = window.location.hash;
    link.href = link.href.split("#")[0] + (hash.length > 1 ? hash : "");
  }

  /* The programme list: narrow it by category, level, region, year and issuer; the choice lives in the address
     (?level=city&year=2015), so a narrowed list can be shared, and works from disk too. */
  function filterProgrammes() {
    var form = document.querySelector("form.hb-filter");
    if (!form) return;
    var items = Array.prototype.slice.call(document.querySelectorAll(".hb-programme-list > li"));
    var count = form.querySelector(".hb-filter-count");
    var total = items.length;
    function apply(writeAddress) {
      var chosen = {};
      Array.prototype.forEach.call(form.elements, function (field) { if (field.name && field.value) chosen[field.name] = field.value; });
      var shown = 0;
      items.forEach(function (li) {
        var keep = Object.keys(chosen).every(function (name) {
          var have = li.getAttribute("data-" + name) || "";
          return name === "category" ? have === chosen[name] : have.indexOf("|" + chosen[name] + "|") !== -1;
        });
        li.hidden = !keep;
        shown += keep;
      });
      document.querySelectorAll(".hb-programme-list").forEach(function (list) {  // a category with none left
        var empty = !list.querySelector("li:not([hidden])");
        list.hidden = empty;
        for (var el = list.previousElementSibling; el; el = el.previousElementSibling) {
          el.hidden = empty;
          if (/^H2$/.test(el.tagName)) break;
        }
      });
      count.textContent = Object.keys(chosen).length
        ? count.getAttribute("data-shown").replace("{shown}", shown).replace("{total}", total) : "";
      if (writeAddress && window.history && window.history.replaceState) {
        var query = Object.keys(chosen).map(function (k) { return encodeURIComponent(k) + "=" + encodeURIComponent(chosen[k]); }).join("&");
        try { window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash); } catch (e) { /* file:// in some browsers */ }
      }
    }
    var params = new URLSearchParams(window.location.search);
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || !params.get(field.name)) return;
      var wanted = params.get(field.name);
      if (Array.prototype.some.call(field.options, function (o) { return o.value === wanted; })) field.value = wanted;
    });
    form.hidden = false;
    if (Array.prototype.some.call(form.elements, function (field) { return field.name && field.value; })) {
      form.querySelector("details").open = true;  // a shared, narrowed list shows what narrows it
    }
    form.addEventListener("change", function () { apply(true); });
    form.addEventListener("reset", function () { setTimeout(function () { apply(true); }, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    apply(false);
  }

  /* 本月重点: the programmes whose guide names the reader's month, linked to the guide's "when" section. */
  function thisMonth() {
    var box = document.querySelector(".hb-season");
    if (!box) return;
    var month = new Date().getMonth() + 1;
    var list = box.querySelector("ul");
    document.querySelectorAll(".hb-programme-list > li").forEach(function (li) {
      if ((li.getAttribute("data-month") || "").indexOf("|" + month + "|") === -1) return;
      var link = li.querySelector("a").cloneNode(true);
      link.href = link.getAttribute("href") + "#guide-when";
      var item = document.createElement("li");
      item.appendChild(link);
      list.appendChild(item);
    });
    if (!list.children.length) return;
    var name = zh ? month + "月" : new Date(2000, month - 1, 1).toLocaleString("en", { month: "long" });
    box.querySelector(".admonition-title").textContent = box.getAttribute("data-title").replace("{month}", name);
    box.hidden = false;
  }

  thisMonth();
  filterProgrammes();
  markWideTables();
  var resizing = 0;
  window.addEventListener("resize", function () { clearTimeout(resizing); resizing = setTimeout(markWideTables, 150); });
  // On the way to the other language: also for a middle click or "open in new tab" (mousedown, focus).
  ["click", "mousedown", "focusin", "touchstart"].forEach(function (type) {
    document.addEventListener(type, keepPlace, { capture: true, passive: true });
  });
})();
