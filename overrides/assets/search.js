/* The handbook's search, in Material's search box.
 *
 * The index (built with the site by macros/search_shards.py) is split into script files under search/, so a
 * search fetches only what it needs: the core (index.js: the Traditional→Simplified map, the vocabulary,
 * synonyms, one letter per entry), then the shards of an inverted index holding the query's keys (every
 * Chinese character pair and single character, so any part of a Chinese word finds it; English words and
 * pinyin by their first three letters), then the display data of the best candidates (d/N.js), which are
 * scored as a whole: names, aliases, keywords, title, headings and text, Traditional read as Simplified,
 * document numbers without their brackets. Every file is a script, not fetched JSON, so search also works from
 * disk (file://). No other host is used.
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
  var HAN = /[\u4e00-\u9fff]/;
  // Where a key occurs in an entry (macros/search_shards.py): name or alias, keyword, title, heading, text, pinyin.
  var KEY = 1, KEYWORD = 2, TITLE = 4, HEADING = 8, TEXT = 16, PINYIN = 32;
  var CANDIDATES = 20;  // entries fetched and scored in full per search: the results shown
  var LOAD_SECONDS = 20;  // a file that takes longer is taken as missing: "search is unavailable"
  var T2S = new Map();
  var core = null;
  var VOCAB = new Set();  // the handbook's Chinese words: a query is split into these, longest first
  var SYN = new Map();    // an everyday word -> the handbook's words it stands for (data/synonyms.yml)
  var UI = {}, CATS = [];
  // Words that say how, not what: a query keeps working without them (怎么申请金秋助学 = 金秋助学).
  var STOP = new Set(("怎么 怎么办 怎样 如何 开展 申请 办理 哪些 什么 的 了 吗 呢 吧 我 我们 你 想 要 需要 可以 能 能否 有 有没有 是 在 和 与 及 或 给 对 请问 " +
    "一下 多少 几 谁 哪里 哪儿 哪个 应该 关于 有关 问题 工作 活动 情况 相关 方面 职工 工人 员工 工会 单位 " +
    "a an the how to do does did i my me we our you your for of in on at with what which who whom whose is are was were be can could should would " +
    "get apply applying and or about from when where there their they it its this that by as any some union unions worker workers staff employee employees").split(" "));

  function simplified(text) {
    var out = "";
    for (var ch of text) out += T2S.get(ch) || ch;
    return out;
  }
  function norm(text) { return simplified(text).toLowerCase().replace(PUNCT, ""); }
  function wordsOf(text) { return " " + simplified(text).toLowerCase().replace(/[^a-z0-9\u4e00-\u9fff]+/g, " ") + " "; }

  /* The index's files call this with their name and content. */
  var received = {};
  window.__handbookSearch = function (name, data) { received[name] = data; };
  var loads = {};

  /* One file of the index, once; rejects if it is missing, broken (it ran but did not call back) or slow. */
  function loadPart(path, name) {
    if (received[name]) return Promise.resolve(received[name]);
    if (!loads[name]) {
      loads[name] = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        var timer = setTimeout(function () { fail("slow"); }, LOAD_SECONDS * 1000);
        function fail(why) {
          clearTimeout(timer);
          delete loads[name];  // the next search tries again
          reject(new Error("search index " + path + ": " + why));
        }
        tag.onload = function () { clearTimeout(timer); if (received[name]) resolve(received[name]); else fail("broken"); };
        tag.onerror = function () { fail("missing"); };
        tag.src = base + "search/" + path + (core ? "?v=" + core.version : "");
        document.head.appendChild(tag);
      });
    }
    return loads[name];
  }

  function prepareCore(index) {
    var pairs = index.t2s;
    for (var i = 0; i + 1 < pairs.length; i += 2) T2S.set(pairs[i], pairs[i + 1]);
    (index.vocab || []).forEach(function (w) { VOCAB.add(w); });
    (index.syn || []).forEach(function (group) {
      var means = group[1].map(function (m) { return simplified(m).toLowerCase(); });
      group[0].forEach(function (w) { SYN.set(simplified(w).toLowerCase(), means); VOCAB.add(simplified(w)); });
    });
    UI = index.ui || {};
    CATS = index.cats || [];
    return index;
  }

  /* Load the core once, on first use. */
  var coreLoading = null;
  function load() {
    if (core) return Promise.resolve(core);
    if (!coreLoading) {
      coreLoading = loadPart("index.js", "index").then(function (index) { core = prepareCore(index); return core; },
        function (error) { coreLoading = null; throw error; });
    }
    return coreLoading;
  }

  function prepareDoc(doc, number) {
    var keys = doc.k || [], keywords = doc.w || [];
    return {
      number: number, url: doc.u, title: doc.t, boost: doc.b || 0, sections: doc.s || [], kind: doc.c || "page",
      nTitle: norm(doc.t), nKeys: keys.map(norm), pinyin: doc.p || [],
      nKeywords: keywords.map(norm), wKeywords: wordsOf(keywords.join(" ")),
      wTitle: wordsOf(doc.t), wKeys: wordsOf(keys.join(" ")),
      nSections: (doc.s || []).map(function (s) { return [norm(s[1]), norm(s[2])]; }),
      wSections: (doc.s || []).map(function (s) { return wordsOf(s[1] + " " + s[2]); })
    };
  }
  var prepared = {};
  function loadDoc(number) {
    if (prepared[number]) return Promise.resolve(prepared[number]);
    return loadPart("d/" + number + ".js", "d" + number).then(function (doc) {
      return (prepared[number] = prepared[number] || prepareDoc(doc, number));
    });
  }

  /* The shard a key is in: the same rule and hash (32-bit FNV-1a) as macros/search_shards.py. */
  function shardKey(key) {
    if (key[0] === "=") return HAN.test(key.slice(1, 3)) ? key.slice(1, 3) : key.slice(1, 4);
    return HAN.test(key) ? key : key.slice(0, 3);
  }
  function fnv(text) {
    var h = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) { h ^= text.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
    return h >>> 0;
  }
  function shardOf(key) {
    var by = shardKey(key), space = HAN.test(by) ? "h" : "a";
    return space + (fnv(by) % core.shards[space]);
  }
  /* The entries holding a key, number -> where (bits); with `prefix`, every ASCII key that starts with it. */
  function postings(key, prefix) {
    var shard = received[shardOf(key)] || {}, out = new Map();
    (prefix ? Object.keys(shard).filter(function (k) { return k.indexOf(key) === 0; }) : [key]).forEach(function (k) {
      var list = shard[k] || [], n = 0;
      for (var i = 0; i < list.length; i++) {
        n += Math.floor(list[i] / 64);
        out.set(n, (out.get(n) || 0) | (list[i] & 63));
      }
    });
    return out;
  }
  function intersect(maps) {
    if (!maps.length) return new Map();
    var out = new Map(maps[0]);
    maps.slice(1).forEach(function (m) {
      out.forEach(function (bits, n) { if (m.has(n)) out.set(n, bits & m.get(n)); else out.delete(n); });
    });
    return out;
  }
  /* The keys that find a piece of text: its Chinese pairs (a single character alone), or its ASCII words. */
  function keysOf(text) {
    var t = norm(text);
    if (!t) return [];
    if (HAN.test(t)) {
      if (t.length === 1) return [{ key: t }];
      var pairs = [];
      for (var i = 0; i + 1 < t.length; i++) if (HAN.test(t[i]) || HAN.test(t[i + 1])) pairs.push({ key: t.slice(i, i + 2) });
      return pairs.length ? pairs : [];
    }
    return (simplified(text).toLowerCase().match(/[a-z0-9]+/g) || []).map(function (w) { return { key: w, prefix: true }; });
  }
  /* The entries that hold every key of a piece of text (number -> where all of them occur). */
  function holding(text) { return intersect(keysOf(text).map(function (k) { return postings(k.key, k.prefix); })); }

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

  /* Split a Chinese run into the handbook's words, longest first; stretches no word covers are kept whole when
     they are two characters or more (they may still match as a substring), single leftovers are dropped. */
  function segment(run) {
    var out = [], rest = "", i = 0;
    function flush() { if (rest.length > 1) out.push(rest); rest = ""; }
    while (i < run.length) {
      var found = "";
      for (var len = Math.min(8, run.length - i); len >= 2; len--) {
        if (VOCAB.has(run.substr(i, len))) { found = run.substr(i, len); break; }
      }
      if (!found && SYN.has(run[i])) found = run[i];  // a one-character word the synonyms know (村)
      if (found) { flush(); out.push(found); i += found.length; } else { rest += run[i]; i += 1; }
    }
    flush();
    return out;
  }

  /* The words of a query: split on spaces and punctuation, Chinese segmented, filler words dropped, each with
     the handbook's words an everyday word stands for. */
  function queryTerms(query) {
    var text = simplified(query).toLowerCase();
    var terms = [];
    var parts = text.match(/[\u4e00-\u9fff]+|[a-z0-9]+/g) || [];
    parts.forEach(function (part, n) {
      if (/^[a-z0-9]+$/.test(part)) {
        var pair = part + " " + parts[n + 1];  // an English phrase the synonyms know: new year, learn a trade
        var three = pair + " " + parts[n + 2];
        if (SYN.has(three)) terms.push({ text: three, ascii: true });
        else if (SYN.has(pair)) terms.push({ text: pair, ascii: true });
        if (part.length > 1 && !STOP.has(part)) terms.push({ text: stem(part), ascii: true });
      }
      else segment(part).forEach(function (w) { if (!STOP.has(w)) terms.push({ text: w, ascii: false }); });
    });
    // English phrases in the synonym list (learn a trade) and single words alike
    var seen = {};
    return terms.filter(function (t) { if (seen[t.text]) return false; seen[t.text] = 1; return true; }).map(function (t) {
      var alternatives = (SYN.get(t.text) || SYN.get(t.text + "s") || []).map(function (m) { return { text: m, ascii: /^[\x00-\x7f]*$/.test(m) }; });
      return { text: t.text, ascii: t.ascii, alternatives: alternatives };
    });
  }

  /* How well one word of the query matches a document, by where: name, keyword, title, heading, text. */
  function termHit(doc, term) {
    var best = 0, where = [];
    if (term.ascii) {
      var w = term.text;
      if (hasWord(doc.wKeys, w)) best = 70;
      if (hasWord(doc.wKeywords, w)) best = Math.max(best, 60);
      if (hasWord(doc.wTitle, w)) best = Math.max(best, 60);
      doc.wSections.forEach(function (s, i) { if (hasWord(s, w)) { where.push(i); best = Math.max(best, 20); } });
      return [best, where];
    }
    var t = norm(term.text);
    if (!t) return [0, where];
    doc.nKeys.forEach(function (key) {
      if (key === t) best = Math.max(best, 100);
      else if (key.indexOf(t) !== -1) best = Math.max(best, 70);
    });
    doc.nKeywords.forEach(function (key) {
      if (key === t) best = Math.max(best, 80);
      else if (key.indexOf(t) !== -1 || (key.length > 1 && t.indexOf(key) !== -1)) best = Math.max(best, 55);
    });
    if (doc.nTitle.indexOf(t) !== -1) best = Math.max(best, 60);
    doc.nSections.forEach(function (s, i) {
      var hit = s[0].indexOf(t) !== -1 ? 35 : (s[1].indexOf(t) !== -1 ? 18 + Math.min(count(s[1], t), 5) * 2 : 0);
      if (hit) { where.push(i); best = Math.max(best, hit); }
    });
    return [best, where];
  }

  /* A query of several words: entries holding all of them first, then most, by where they match and whether
     they match in the same section. Words found nowhere in the handbook do not count against an entry. */
  /* A query word's best hit in a document: the word itself, or (at 0.7) a word it stands for. */
  function wordHit(doc, term) {
    var hit = termHit(doc, term);
    term.alternatives.forEach(function (alt) {
      var other = termHit(doc, alt);
      if (other[0] * 0.7 > hit[0]) hit = [other[0] * 0.7, other[1]];
    });
    return hit;
  }

  /* `hits`: this document's wordHit for each query word, computed once per search. */
  function multiScore(doc, hits, live) {
    var total = 0, matched = 0, weightMatched = 0, weightAll = 0, sectionsHit = {};
    hits.forEach(function (hit, n) {
      if (!live[n]) return;
      weightAll += live[n];
      if (hit[0]) {
        matched++; total += hit[0] * live[n]; weightMatched += live[n];
        hit[1].forEach(function (i) { sectionsHit[i] = (sectionsHit[i] || 0) + 1; });
      }
    });
    var active = live.filter(Boolean).length;
    if (!matched || !active) return [0, []];
    var together = Object.keys(sectionsHit).filter(function (i) { return sectionsHit[i] > 1; }).map(Number);
    var coverage = weightMatched / weightAll;
    var score = total * coverage * coverage + (matched === active ? 150 : 0) + (together.length ? 30 : 0);
    if (doc.kind === "term") score *= 0.85;  // a need is answered by a programme's page before its glossary line
    var picked = (together.length ? together : Object.keys(sectionsHit).map(Number)).slice(0, 3);
    return [score, picked];
  }

  /* How much a key found where it is (bits) says, before the entry is fetched: as termHit weighs it. */
  function weightOf(bits, ascii) {
    if (ascii) return bits & KEY ? 70 : bits & (KEYWORD | TITLE) ? 60 : bits ? 20 : 0;
    return bits & KEY ? 85 : bits & KEYWORD ? 65 : bits & TITLE ? 60 : bits & HEADING ? 35 : bits ? 22 : 0;
  }

  /* The shards a query needs: the keys of the whole query, of its exact name, its pinyin and each of its words. */
  function shardsFor(q, qn, qp, terms) {
    var names = {};
    function need(key) { names[shardOf(key)] = 1; }
    keysOf(q).forEach(function (k) { need(k.key); });
    if (qn) need("=" + qn);
    if (qp.length >= 2) need(qp);
    terms.forEach(function (term) {
      [term].concat(term.alternatives).forEach(function (t) { keysOf(t.text).forEach(function (k) { need(k.key); }); });
    });
    return Object.keys(names);
  }

  /* Candidates from the shards alone (number -> a first score), and each query word's weight: a word no entry
     holds (nor its synonyms) counts for nothing; a word weighs by how few entries hold it. */
  function candidates(q, qn, qp, terms, several) {
    var found = new Map();
    function offer(n, value) { if (value > (found.get(n) || 0)) found.set(n, value); }
    if (qn) {
      postings("=" + qn).forEach(function (bits, n) { offer(n, bits & KEY ? 1000 : 950); });
      holding(q).forEach(function (bits, n) { offer(n, bits & KEY ? 500 : bits & TITLE ? 300 : bits & HEADING ? 120 : 44); });
    }
    if (qp.length >= 2) {
      postings(qp).forEach(function (bits, n) { if (bits & PINYIN) offer(n, 800); });
      if (qp.length >= 4) postings(qp, true).forEach(function (bits, n) { if (bits & PINYIN) offer(n, 350); });
    }
    var perTerm = terms.map(function (term) {
      var values = new Map();
      holding(term.text).forEach(function (bits, n) { values.set(n, weightOf(bits, term.ascii)); });
      term.alternatives.forEach(function (alt) {
        holding(alt.text).forEach(function (bits, n) { values.set(n, Math.max(values.get(n) || 0, 0.7 * weightOf(bits, alt.ascii))); });
      });
      return values;
    });
    var live = perTerm.map(function (values) { return values.size ? 1 + Math.log(core.n / values.size) : 0; });
    if (several) {
      var weightAll = live.reduce(function (a, b) { return a + b; }, 0), active = live.filter(Boolean).length;
      var totals = new Map();
      perTerm.forEach(function (values, t) {
        values.forEach(function (value, n) {
          var sum = totals.get(n) || [0, 0, 0];
          totals.set(n, [sum[0] + value * live[t], sum[1] + live[t], sum[2] + 1]);
        });
      });
      totals.forEach(function (sum, n) {
        var coverage = sum[1] / weightAll;
        var value = sum[0] * coverage * coverage + (sum[2] === active ? 150 : 0);
        offer(n, core.kinds[n] === "t" ? value * 0.85 : value);
      });
    }
    found.forEach(function (value, n) { found.set(n, value + (core.boost[core.kinds[n]] || 0)); });
    return { found: found, live: live };
  }

  /* Search: fetch the shards the query needs, rank the candidates they give, fetch the best and score them in
     full (which also drops any whose text does not hold the query after all). */
  function search(query) {
    var q = query.trim();
    var qn = norm(q);
    var ascii = /^[\x00-\x7f]*$/.test(q);
    var qp = ascii ? q.toLowerCase().replace(/[^a-z]/g, "") : "";
    var words = ascii ? q.toLowerCase().split(/[^a-z0-9]+/).filter(function (w) { return w.length > 1; }).map(stem) : [];
    var terms = queryTerms(q);
    var several = terms.length > 1 || (terms.length === 1 && norm(terms[0].text) !== qn);
    var shards = shardsFor(q, qn, qp, terms);
    return Promise.all(shards.map(function (name) { return loadPart("s/" + name + ".js", name); })).then(function () {
      var first = candidates(q, qn, qp, terms, several);
      var best = Array.from(first.found.keys()).sort(function (a, b) {
        return first.found.get(b) - first.found.get(a) || a - b;
      }).slice(0, CANDIDATES);
      return Promise.all(best.map(loadDoc)).then(function (docs) {
        var results = [];
        docs.forEach(function (doc) {
          var r = score(doc, q, qn, qp, words);
          if (several) {
            var hits = terms.map(function (term) { return wordHit(doc, term); });
            var m = multiScore(doc, hits, first.live);
            if (m[0] + (m[0] ? doc.boost : 0) > r[0]) r = [m[0] + doc.boost, m[1].length ? m[1] : r[1]];
          }
          if (r[0] > 0) results.push({ doc: doc, score: r[0], sections: r[1] });
        });
        results.sort(function (a, b) { return b.score - a.score || a.doc.title.length - b.doc.title.length; });
        return { list: results, terms: terms };
      });
    });
  }

  /* A short piece of text around the first match, every matched word marked; built as DOM nodes (never HTML). */
  function snippet(text, needles) {
    var hay = simplified(text).toLowerCase();
    var marks = [];
    needles.forEach(function (needle) {
      if (!needle) return;
      var at = hay.indexOf(needle);
      while (at !== -1 && marks.length < 12) { marks.push([at, at + needle.length]); at = hay.indexOf(needle, at + needle.length); }
    });
    marks.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var p = document.createElement("p");
    if (!marks.length) { p.textContent = text.length > 120 ? text.slice(0, 120) + "…" : text; return p; }
    var start = Math.max(0, marks[0][0] - 40), end = Math.min(text.length, marks[0][1] + 100);
    var at = start;
    p.appendChild(document.createTextNode(start ? "…" : ""));
    marks.forEach(function (m) {
      if (m[0] < at || m[1] > end) return;  // overlapping, or outside the piece shown
      p.appendChild(document.createTextNode(text.slice(at, m[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(m[0], m[1]);
      p.appendChild(mark);
      at = m[1];
    });
    p.appendChild(document.createTextNode(text.slice(at, end) + (end < text.length ? "…" : "")));
    return p;
  }

  function link(url, heading, level, body, kind) {
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
    if (kind && UI[kind]) {  // what the result is: programme, term, law, document, page
      var tag = document.createElement("span");
      tag.className = "hb-result-kind";
      tag.textContent = UI[kind];
      h.insertBefore(tag, h.firstChild);
    }
    article.appendChild(h);
    if (body) article.appendChild(body);
    a.appendChild(article);
    return a;
  }

  /* Edit distance, for names close to a query that found nothing (typos, one character off). */
  function distance(a, b) {
    var row = [];
    for (var j = 0; j <= b.length; j++) row.push(j);
    for (var i = 1; i <= a.length; i++) {
      var prev = row[0]; row[0] = i;
      for (var k = 1; k <= b.length; k++) {
        var keep = row[k];
        row[k] = Math.min(row[k] + 1, row[k - 1] + 1, prev + (a[i - 1] === b[k - 1] ? 0 : 1));
        prev = keep;
      }
    }
    return row[b.length];
  }

  /* Nothing found: the nearest names (by pinyin and by edit distance) and the categories to browse. */
  function suggestions(q, names) {
    var qn = norm(q).slice(0, 24), qp = q.toLowerCase().replace(/[^a-z]/g, "");
    var near = [];
    names.forEach(function (entry) {  // [number, address, title, kind, names, pinyin] of each programme and term
      var doc = { url: entry[1], title: entry[2], kind: entry[3] };
      var best = Infinity;
      entry[4].forEach(function (key) { if (qn) best = Math.min(best, distance(qn, norm(key).slice(0, 24)) / Math.max(qn.length, 1)); });
      entry[5].forEach(function (p) { if (qp.length >= 2) best = Math.min(best, distance(qp, p) / Math.max(qp.length, 1)); });
      if (best <= 0.5) near.push([best, doc]);
    });
    near.sort(function (a, b) { return a[0] - b[0]; });
    var li = document.createElement("li");
    li.className = "md-search-result__item hb-search-suggest";
    var p = document.createElement("p");
    p.textContent = near.length ? UI.suggest : "";
    li.appendChild(p);
    near.slice(0, 5).forEach(function (n) { li.appendChild(link(n[1].url, n[1].title, "h2", null, n[1].kind)); });
    var browse = document.createElement("p");
    browse.textContent = UI.browse;
    li.appendChild(browse);
    var cats = document.createElement("p");
    CATS.forEach(function (c, i) {
      var a = document.createElement("a");
      a.href = base + c[1];
      a.textContent = c[0];
      if (i) cats.appendChild(document.createTextNode(" · "));
      cats.appendChild(a);
    });
    li.appendChild(cats);
    return li;
  }

  /* Show what a search found (`found`: null for an empty query; `names` when it found nothing). */
  function render(query, found, names) {
    var q = query.slice(0, 200).trim();
    list.textContent = "";
    box.dataset.query = query.trim();  // which query the list shows (tests and assistive tech can wait on it)
    if (!found) { meta.textContent = box.dataset.placeholder; return; }
    var results = found.list;
    var needles = [simplified(q).toLowerCase()];
    found.terms.forEach(function (t) { needles.push(t.text); t.alternatives.forEach(function (a) { needles.push(a.text); }); });
    meta.textContent = results.length === 0 ? box.dataset.none
      : results.length === 1 ? box.dataset.one : box.dataset.other.replace("#", results.length);
    if (!results.length) { list.appendChild(suggestions(q, names || [])); return; }
    results.forEach(function (r) {
      var li = document.createElement("li");
      li.className = "md-search-result__item";
      var first = r.doc.sections[0];
      var lead = r.sections.length ? r.doc.sections[r.sections[0]][2] : (first ? first[2] : "");
      li.appendChild(link(r.doc.url, r.doc.title, "h1", snippet(lead, needles), r.doc.kind));
      r.sections.forEach(function (i) {
        var s = r.doc.sections[i];
        if (!s[0] || r.doc.url.indexOf("#") !== -1) return;
        li.appendChild(link(r.doc.url + "#" + s[0], s[1] || r.doc.title, "h2", snippet(s[2], needles)));
      });
      list.appendChild(li);
    });
  }

  var pending = 0;
  function update() {
    var query = input.value;
    var q = query.slice(0, 200).trim();  // a pasted page of text is not a query
    var ticket = ++pending;
    if (!core) meta.textContent = box.dataset.loading;
    load().then(function () { return q ? search(q) : null; }).then(function (found) {
      if (ticket !== pending) return null;
      if (found && !found.list.length) {  // nothing: the nearest names, from a file fetched only now
        return loadPart("names.js", "names").then(function (names) { if (ticket === pending) render(query, found, names); });
      }
      render(query, found);
      return null;
    }).catch(function () {
      if (ticket !== pending) return;
      // A missing or broken file of the index: say so, instead of waiting for ever.
      list.textContent = "";
      box.dataset.query = query.trim();
      meta.textContent = /^zh/.test(document.documentElement.lang)
        ? "搜索暂时不可用，请稍后再试，或从导航按类别浏览。" : "Search is unavailable; try again later, or browse by category from the navigation.";
    });
  }

  function open() {
    if (toggle && !toggle.checked) { toggle.checked = true; toggle.dispatchEvent(new Event("change")); }
  }
  function close() {
    if (toggle && toggle.checked) { toggle.checked = false; toggle.dispatchEvent(new Event("change")); }
    input.blur();
  }

  input.addEventListener("focus", function () { open(); load().catch(function () { /* said on the first search */ }); });
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
