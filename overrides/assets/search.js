/* The handbook's search, in Material's search box.
 *
 * The index (search/index.js, built with the site) lists every page, programme, term, law and document with
 * its names and aliases in both languages, their pinyin and initials, and its text in sections. A query is
 * read as Simplified (a Traditional→Simplified map ships with the index), stripped of spaces and punctuation
 * (so 新工字[2015]14号 matches 新工字〔2015〕14号) and matched as a substring, so any part of a Chinese word
 * finds it; ASCII queries are also tried as pinyin, initials and English words.
 * The index is a script, not fetched JSON, so search also works from disk (file://). No other host is used.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var base = script ? script.src.replace(/assets\/search\.js(\?.*)?$/, "") : "";
  var box = document.querySelector(".hb-search");
  if (!box) return;
  var input = box.querySelector(".md-search__input");
  var meta = box.querySelector(".md-search-result__meta");
  var list = box.querySelector(".md-search-result__list");
  var toggle = document.getElementById("__search");
  var form = box.querySelector("form");

  var PUNCT = /[\s\u3000"'`\u201c\u201d\u2018\u2019\u300a\u300b\u3008\u3009\u300c\u300d\u300e\u300f\u3014\u3015\[\]\u3010\u3011()\uff08\uff09<>{},\uff0c.\u3002\u3001:\uff1a;\uff1b!\uff01?\uff1f\-\u2014\u2013\u00b7\u2026_\/\\|~^*#@&%+=\uff3b\uff3d]/g;
  var T2S = new Map();
  var docs = null;
  var loading = null;

  function simplified(text) {
    var out = "";
    for (var ch of text) out += T2S.get(ch) || ch;
    return out;
  }
  function norm(text) { return simplified(text).toLowerCase().replace(PUNCT, ""); }
  function wordsOf(text) { return " " + simplified(text).toLowerCase().replace(/[^a-z0-9\u4e00-\u9fff]+/g, " ") + " "; }

  function prepare(index) {
    var pairs = index.t2s;
    for (var i = 0; i + 1 < pairs.length; i += 2) T2S.set(pairs[i], pairs[i + 1]);
    return index.docs.map(function (doc) {
      var keys = doc.k || [];
      return {
        url: doc.u, title: doc.t, boost: doc.b || 0, sections: doc.s || [],
        nTitle: norm(doc.t), nKeys: keys.map(norm), pinyin: doc.p || [],
        wTitle: wordsOf(doc.t), wKeys: wordsOf(keys.join(" ")),
        nSections: (doc.s || []).map(function (s) { return [norm(s[1]), norm(s[2])]; }),
        wSections: (doc.s || []).map(function (s) { return wordsOf(s[1] + " " + s[2]); })
      };
    });
  }

  /* Load the index once, on first use; resolves to the prepared documents. */
  function load() {
    if (docs) return Promise.resolve(docs);
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = base + "search/index.js";
        tag.onload = function () { docs = prepare(window.__handbookSearch); resolve(docs); };
        tag.onerror = reject;
        document.head.appendChild(tag);
      });
    }
    return loading;
  }

  function stem(word) {
    if (word.length > 4 && /ies$/.test(word)) return word.slice(0, -3) + "y";
    if (word.length > 3 && /s$/.test(word) && !/ss$/.test(word)) return word.slice(0, -1);
    return word;
  }
  function hasWord(haystack, word) { return haystack.indexOf(" " + word) !== -1; }

  function count(haystack, needle) {
    var n = 0, at = haystack.indexOf(needle);
    while (at !== -1 && n < 5) { n++; at = haystack.indexOf(needle, at + needle.length); }
    return n;
  }

  /* Score one document; returns [score, matching section indexes]. */
  function score(doc, q, qn, qp, words) {
    var best = 0, sections = [];
    if (qn) {
      doc.nKeys.forEach(function (key) {
        if (key === qn) best = Math.max(best, 1000);
        else if (key.indexOf(qn) !== -1) best = Math.max(best, 500 - 2 * key.length);  // shorter names fit better
      });
      if (doc.nTitle === qn) best = Math.max(best, 950);
      else if (doc.nTitle.indexOf(qn) !== -1) best = Math.max(best, 300);
    }
    if (qp.length >= 2) {
      doc.pinyin.forEach(function (p) {
        if (p === qp) best = Math.max(best, 800);
        else if (qp.length >= 4 && p.indexOf(qp) === 0) best = Math.max(best, 350);
      });
    }
    var text = 0, mentions = 0;
    doc.nSections.forEach(function (s, i) {
      var hit = 0;
      if (qn && s[0].indexOf(qn) !== -1) hit = 120;
      var n = qn ? count(s[1], qn) : 0;
      if (n) hit = Math.max(hit, 40 + 4 * n);
      mentions += n;
      if (hit) { sections.push([hit, i]); text = Math.max(text, hit); }
    });
    if (words.length) {
      var inTitle = 0, inKeys = 0, all = true;
      var wordSections = [];
      words.forEach(function (w) {
        var t = hasWord(doc.wTitle, w), k = hasWord(doc.wKeys, w);
        var found = doc.wSections.map(function (s, i) { return hasWord(s, w) ? i : -1; }).filter(function (i) { return i >= 0; });
        if (!t && !k && !found.length) all = false;
        inTitle += t; inKeys += k;
        wordSections.push(found);
      });
      if (all) {
        var wordScore = 200 * inTitle / words.length + 300 * inKeys / words.length;
        var together = wordSections.reduce(function (acc, found) {
          return acc === null ? found : acc.filter(function (i) { return found.indexOf(i) !== -1; });
        }, null) || [];
        together.forEach(function (i) { sections.push([30, i]); });
        wordScore += together.length ? 30 : 10;
        best = Math.max(best, wordScore);
      }
    }
    best = Math.max(best, text);
    if (!best) return [0, []];
    best += Math.min(mentions, 30);  // among equal matches, the entry that is about the query comes first
    sections.sort(function (a, b) { return b[0] - a[0]; });
    var seen = {};
    var picked = sections.filter(function (s) { if (seen[s[1]]) return false; seen[s[1]] = 1; return true; })
      .slice(0, 3).map(function (s) { return s[1]; });
    return [best + doc.boost, picked];
  }

  function search(query) {
    var q = query.trim();
    var qn = norm(q);
    var ascii = /^[\x00-\x7f]*$/.test(q);
    var qp = ascii ? q.toLowerCase().replace(/[^a-z]/g, "") : "";
    var words = ascii ? q.toLowerCase().split(/[^a-z0-9]+/).filter(function (w) { return w.length > 1; }).map(stem) : [];
    var results = [];
    docs.forEach(function (doc) {
      var r = score(doc, q, qn, qp, words);
      if (r[0] > 0) results.push({ doc: doc, score: r[0], sections: r[1] });
    });
    results.sort(function (a, b) { return b.score - a.score || a.doc.title.length - b.doc.title.length; });
    return results.slice(0, 40);
  }

  /* A short piece of text around the first match, with the match marked; built as DOM nodes (never HTML). */
  function snippet(text, query, words) {
    var hay = simplified(text).toLowerCase();
    var needles = [simplified(query.trim()).toLowerCase()].concat(words);
    var at = -1, len = 0;
    for (var i = 0; i < needles.length && at === -1; i++) {
      if (needles[i]) { at = hay.indexOf(needles[i]); len = needles[i].length; }
    }
    var p = document.createElement("p");
    if (at === -1) { p.textContent = text.length > 120 ? text.slice(0, 120) + "…" : text; return p; }
    var start = Math.max(0, at - 40), end = Math.min(text.length, at + len + 80);
    p.appendChild(document.createTextNode((start ? "…" : "") + text.slice(start, at)));
    var mark = document.createElement("mark");
    mark.textContent = text.slice(at, at + len);
    p.appendChild(mark);
    p.appendChild(document.createTextNode(text.slice(at + len, end) + (end < text.length ? "…" : "")));
    return p;
  }

  function link(url, heading, level, body) {
    var a = document.createElement("a");
    a.href = base + url;
    a.className = "md-search-result__link";
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    if (level === "h1") {
      var icon = document.createElement("div");
      icon.className = "md-search-result__icon md-icon";
      article.appendChild(icon);
    }
    var h = document.createElement(level);
    h.textContent = heading;
    article.appendChild(h);
    if (body) article.appendChild(body);
    a.appendChild(article);
    return a;
  }

  function render(query) {
    var q = query.trim();
    list.textContent = "";
    box.dataset.query = q;  // which query the list shows (tests and assistive tech can wait on it)
    if (!q) { meta.textContent = box.dataset.placeholder; return; }
    var results = search(q);
    var words = /^[\x00-\x7f]*$/.test(q) ? q.toLowerCase().split(/[^a-z0-9]+/).filter(function (w) { return w.length > 1; }) : [];
    meta.textContent = results.length === 0 ? box.dataset.none
      : results.length === 1 ? box.dataset.one : box.dataset.other.replace("#", results.length);
    results.forEach(function (r) {
      var li = document.createElement("li");
      li.className = "md-search-result__item";
      var first = r.doc.sections[0];
      var lead = r.sections.length ? r.doc.sections[r.sections[0]][2] : (first ? first[2] : "");
      li.appendChild(link(r.doc.url, r.doc.title, "h1", snippet(lead, q, words)));
      r.sections.forEach(function (i) {
        var s = r.doc.sections[i];
        if (!s[0] || r.doc.url.indexOf("#") !== -1) return;
        li.appendChild(link(r.doc.url + "#" + s[0], s[1] || r.doc.title, "h2", snippet(s[2], q, words)));
      });
      list.appendChild(li);
    });
  }

  var pending = 0;
  function update() {
    var query = input.value;
    var ticket = ++pending;
    if (!docs) meta.textContent = box.dataset.loading;
    load().then(function () { if (ticket === pending) render(query); });
  }

  function open() {
    if (toggle && !toggle.checked) { toggle.checked = true; toggle.dispatchEvent(new Event("change")); }
  }
  function close() {
    if (toggle && toggle.checked) { toggle.checked = false; toggle.dispatchEvent(new Event("change")); }
    input.blur();
  }

  input.addEventListener("focus", function () { open(); load(); });
  // Tab out of the search (input and results) closes it, as Material's own search does; else the focus
  // would move on to links hidden under the search overlay.
  box.addEventListener("focusout", function (event) {
    if (event.relatedTarget && !box.contains(event.relatedTarget)) close();  // Tab out, not a click on the overlay
  });
  input.addEventListener("input", update);
  input.addEventListener("compositionend", update);
  form.addEventListener("reset", function () { setTimeout(update, 0); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = list.querySelector("a");
    if (first) window.location.href = first.href;
  });
  if (toggle) toggle.addEventListener("change", function () { if (toggle.checked) input.focus(); });

  document.addEventListener("keydown", function (event) {
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName) || document.activeElement.isContentEditable;
    if (!typing && (event.key === "/" || event.key === "s" || event.key === "f") && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      input.focus();
      return;
    }
    if (!toggle || !toggle.checked) return;
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
    var at = links.indexOf(document.activeElement);
    if (event.key === "Escape") { close(); }
    else if (event.key === "ArrowDown" && links.length) { event.preventDefault(); links[Math.min(at + 1, links.length - 1)].focus(); }
    else if (event.key === "ArrowUp" && links.length) { event.preventDefault(); if (at <= 0) input.focus(); else links[at - 1].focus(); }
  });
})();
