/* Reading on a phone. A table wider than the screen scrolls inside its own box (the page itself never slides
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

  markWideTables();
  var resizing = 0;
  window.addEventListener("resize", function () { clearTimeout(resizing); resizing = setTimeout(markWideTables, 150); });
  // On the way to the other language: also for a middle click or "open in new tab" (mousedown, focus).
  ["click", "mousedown", "focusin", "touchstart"].forEach(function (type) {
    document.addEventListener(type, keepPlace, { capture: true, passive: true });
  });
})();
