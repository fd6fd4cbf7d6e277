/* Tooltips for links in the page that carry a title (glossary links show the definition, citation marks the
 * document): shown on hover, on keyboard focus and, on a touch screen, on the first tap (a second tap follows the
 * link). The title is data from YAML, so it is only ever set as text (textContent), never parsed as HTML.
 * Escape or a tap elsewhere closes the tip. Without script the browser's own title tooltip remains. */
(function () {
  "use strict";
  var tip = null, host = null, hideTimer = 0, touch = false, shownBeforeTap = false, pressingTip = false;

  function hostOf(node) {
    var el = node && node.closest ? node.closest(".md-typeset a[title], .md-typeset a[data-hb-title]") : null;
    // A permalink (¶) keeps its plain title, and an icon-only link too: its title is its name.
    return el && !el.classList.contains("headerlink") && el.textContent.trim() ? el : null;
  }

  function place() {  // below the link, or above it if there is no room below; inside the visible part of the page
    var view = window.visualViewport || {offsetLeft: 0, offsetTop: 0, width: innerWidth, height: innerHeight};
    var r = host.getBoundingClientRect(), gap = 6, right = view.offsetLeft + view.width;
    tip.style.left = tip.style.top = "0";
    tip.style.maxWidth = Math.min(480, view.width - 2 * gap) + "px";
    var w = tip.offsetWidth, h = tip.offsetHeight, y = r.bottom + gap;
    if (y + h > view.offsetTop + view.height && r.top - gap - h > view.offsetTop) y = r.top - gap - h;
    tip.style.left = Math.max(view.offsetLeft + gap, Math.min(r.left, right - w - gap)) + scrollX + "px";
    tip.style.top = y + scrollY + "px";
  }

  function show(el) {
    clearTimeout(hideTimer);
    if (el === host) return;
    hide();
    if (!tip) {
      tip = document.createElement("div");
      tip.id = "hb-tip";
      tip.className = "hb-tip";
      tip.setAttribute("role", "tooltip");
      tip.addEventListener("click", function () { pressingTip = false; hide(); });
      document.body.appendChild(tip);
    }
    host = el;
    var text = el.getAttribute("title");
    el.setAttribute("data-hb-title", text);  // the native tooltip would show the same text a second time
    el.removeAttribute("title");
    el.setAttribute("aria-describedby", tip.id);
    tip.textContent = text;
    tip.hidden = false;
    place();
  }

  function hide() {
    clearTimeout(hideTimer);
    if (!host) return;
    host.setAttribute("title", host.getAttribute("data-hb-title"));
    host.removeAttribute("data-hb-title");
    host.removeAttribute("aria-describedby");
    tip.hidden = true;
    host = null;
  }

  function hideSoon() {  // time to move the pointer from the link onto the tip
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 300);
  }

  // Touch screens send mouse events after a tap, and again to whatever is under the finger when the page changes:
  // only a real mouse shows a tip by pointing.
  document.addEventListener("pointerover", function (event) { touch = event.pointerType !== "mouse"; });
  document.addEventListener("mouseover", function (event) {
    if (touch) return;
    var el = hostOf(event.target);
    if (el) show(el);
    else if (tip && tip.contains(event.target)) clearTimeout(hideTimer);
    else if (host && document.activeElement !== host) hideSoon();
  });
  document.addEventListener("mouseout", function (event) {  // the pointer left the window
    if (!touch && !event.relatedTarget && host && document.activeElement !== host) hideSoon();
  });
  document.addEventListener("focusin", function (event) {
    var el = hostOf(event.target);
    if (el) show(el); else if (!pressingTip) hide();
  });
  document.addEventListener("focusout", function (event) {
    if (event.target === host && !pressingTip) hide();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") hide();
  });
  document.addEventListener("pointerdown", function (event) {
    var el = hostOf(event.target);
    touch = event.pointerType !== "mouse";
    shownBeforeTap = el !== null && el === host;
    // A tap elsewhere closes the tip; a tap on the tip closes it on its click (hidden at once, the tap would go
    // on to the link beneath it).
    pressingTip = tip !== null && tip.contains(event.target);
    if (!el && !pressingTip) hide();
  });
  document.addEventListener("click", function (event) {
    var el = hostOf(event.target);
    if (el && touch && !shownBeforeTap) {  // the first tap shows the tip, the second follows the link
      event.preventDefault();
      show(el);
    }
  });
  window.addEventListener("resize", hide);
})();
