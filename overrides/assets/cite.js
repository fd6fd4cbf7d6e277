/* Citations: put the page's real address and today's date into each citation (neither is known when the
 * site is built), and give each a copy button. Without script the citation still shows the page's path. */
(function () {
  "use strict";
  var months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];
  var today = new Date();
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  var dates = {
    gbt7714: today.getFullYear() + "-" + pad(today.getMonth() + 1) + "-" + pad(today.getDate()),
    apa: months[today.getMonth()] + " " + today.getDate() + ", " + today.getFullYear()
  };
  // Printing to PDF from a local copy (scripts/make_pdf.py) names the public address instead, if it was given.
  var publicBase = window.__handbookPublicBase;
  var siteRoot = document.querySelector('script[src$="assets/cite.js"]').src.replace(/assets\/cite\.js$/, "");
  document.querySelectorAll(".hb-cite-url").forEach(function (el) {
    var address = new URL(el.getAttribute("data-href"), window.location.href).href;
    if (publicBase !== undefined) address = publicBase + address.slice(siteRoot.length);
    el.textContent = address;
  });
  document.querySelectorAll(".hb-cite-accessed").forEach(function (el) {
    el.textContent = dates[el.getAttribute("data-style")] || el.textContent;
  });
  document.querySelectorAll(".hb-copy").forEach(function (button) {
    button.addEventListener("click", function () {
      var text = button.parentNode.querySelector(".hb-citation-text").textContent.trim();
      var done = function () {
        var label = button.textContent;
        button.textContent = button.getAttribute("data-copied");
        setTimeout(function () { button.textContent = label; }, 1500);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done);
      } else {  // file:// and plain http: select the text and copy it the old way
        var range = document.createRange();
        range.selectNodeContents(button.parentNode.querySelector(".hb-citation-text"));
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        if (document.execCommand("copy")) done();
      }
    });
  });
  // Printing keeps citations: open their boxes for the printout, close them again after.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.hb-citations:not([open])").forEach(function (d) { d.open = true; opened.push(d); });
  });
  window.addEventListener("afterprint", function () { opened.forEach(function (d) { d.open = false; }); opened = []; });
})();
