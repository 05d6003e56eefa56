// Site search over the character-bigram index that brandsite/features/search.py writes to search/idx/.
// No dependencies, no inline script, no request outside the site. Every index file is a
// script (brandsiteIndex("name", {...})) loaded with a <script> element, not fetch: that
// works from any sub-folder, under script-src 'self', and from disk (file://).
// A query is folded exactly like the index (Traditional -> Simplified with the table in
// meta.js, full-width -> ASCII, lower case) and split into words at spaces and punctuation.
// A page matching more of the words ranks first (a word in the title counts more); a query in
// Latin letters is also looked up in the pinyin and initials of brand names (fgmm, faguan mama).
// Only the pages shown are loaded; each is checked against its text and its excerpt highlighted.
(function () {
  "use strict";
  var app = document.getElementById("search-app");
  if (!app) { return; }
  var PAGE_SIZE = 10;
  var SUGGEST = 5;
  var metaUrl = new URL(app.getAttribute("data-index"), document.baseURI);
  var rootHref = app.getAttribute("data-root").replace(/index\.html$/, "");
  var hant = app.getAttribute("data-script") === "hant";
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-q");
  var headerInput = document.getElementById("site-search-q");
  var unitSel = document.getElementById("search-unit");
  var tagSel = document.getElementById("search-tag");
  var statusEl = document.getElementById("search-status");
  var suggestEl = document.getElementById("search-suggest");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var RUN = /[\p{L}\p{N}]+/gu;
  var meta = null;
  var foldMap = null;
  var files = {};
  var waiting = {};
  var state = { seq: 0, ids: [], shown: 0, q: null, total: 0 };

  function t(hans, hantText) { return hant ? hantText : hans; }

  // ---------------------------------------------------------------- loading index files

  window.brandsiteIndex = function (name, data) {
    if (waiting[name]) { waiting[name].resolve(data); delete waiting[name]; }
  };

  function load(name, rel) {
    if (files[name]) { return files[name]; }
    files[name] = new Promise(function (resolve, reject) {
      waiting[name] = { resolve: resolve };
      var s = document.createElement("script");
      s.src = new URL(rel, metaUrl).href + (meta ? "?v=" + meta.b : "");
      s.async = true;
      s.onerror = function () { delete waiting[name]; delete files[name]; reject(new Error(rel)); };
      s.onload = function () {
        s.remove();
        if (waiting[name]) { delete waiting[name]; delete files[name]; reject(new Error(rel)); }
      };
      document.head.appendChild(s);
    });
    return files[name];
  }

  function loadMeta() {
    if (meta) { return Promise.resolve(meta); }
    return load("meta", metaUrl.href + "?t=" + Date.now()).then(function (m) {
      meta = m;
      foldMap = {};
      var pairs = Array.from(m.fold);
      for (var i = 0; i + 1 < pairs.length; i += 2) { foldMap[pairs[i]] = pairs[i + 1]; }
      return m;
    });
  }

  function loadShard(n) { return load("p-" + n, meta.shards[n]); }

  // a document: {k: kind, u: url, t: title, th, s: sub-title, sh, x: text, py: pinyin keys}
  // (+ h, its Traditional text, on a zh-Hant page)
  function loadDoc(i) {
    var doc = load("d/" + i, "d/" + i + ".js");
    if (!hant || !meta.hant) { return doc; }
    return Promise.all([doc, load("d/" + i + "h", "d/" + i + "h.js")]).then(function (both) {
      both[0].h = both[1].h;
      return both[0];
    });
  }

  // ---------------------------------------------------------------- the query

  function fold(s) {
    var out = "";
    for (var i = 0; i < s.length; i++) {
      var ch = s.charAt(i);
      var c = s.charCodeAt(i);
      if (c >= 0xFF01 && c <= 0xFF5E) { ch = String.fromCharCode(c - 0xFEE0); c = ch.charCodeAt(0); }
      if (c >= 65 && c <= 90) { ch = String.fromCharCode(c + 32); }
      else if (c > 0x7F && foldMap && foldMap[ch]) { ch = foldMap[ch]; }
      out += ch;
    }
    return out;
  }

  function bigramsOf(word) {
    var cps = Array.from(word);
    var out = [];
    for (var i = 0; i + 1 < cps.length; i++) {
      var b = cps[i] + cps[i + 1];
      if (out.indexOf(b) < 0) { out.push(b); }
    }
    return out;
  }

  // {words: distinct words of two or more characters, pinyin: the letters and digits of a
  // Latin-only query, or ""}
  function parse(q) {
    var folded = fold(q);
    var words = [];
    (folded.match(RUN) || []).forEach(function (w) {
      if (Array.from(w).length >= 2 && words.indexOf(w) < 0) { words.push(w); }
    });
    var pinyin = /^[a-z0-9\s'’·-]+$/.test(folded) && /[a-z]/.test(folded) ? folded.replace(/[^a-z0-9]/g, "") : "";
    return { words: words, pinyin: pinyin.length >= 2 ? pinyin : "" };
  }

  function shardOf(tok, n) {
    var cps = Array.from(tok).slice(-2);
    return (cps[0].codePointAt(0) * 31 + cps[1].codePointAt(0)) % n;
  }

  function postings(deltas) {
    var out = new Array(deltas.length);
    var v = 0;
    for (var i = 0; i < deltas.length; i++) { v += deltas[i]; out[i] = v; }
    return out;
  }

  function intersect(a, b) {
    var out = [];
    var i = 0;
    var j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { out.push(a[i]); i++; j++; }
      else if (a[i] < b[j]) { i++; } else { j++; }
    }
    return out;
  }

  // The posting lists of every token the query needs: {token: [doc ids]}.
  function lookup(tokens) {
    var n = meta.shards.length;
    var need = {};
    tokens.forEach(function (tk) { need[shardOf(tk, n)] = true; });
    return Promise.all(Object.keys(need).map(function (k) { return loadShard(+k); })).then(function () {
      return Promise.all(tokens.map(function (tk) { return loadShard(shardOf(tk, n)); }));
    }).then(function (shards) {
      var out = {};
      tokens.forEach(function (tk, i) { out[tk] = postings(shards[i][tk] || []); });
      return out;
    });
  }

  function every(lists) {
    if (!lists.length) { return []; }
    lists = lists.slice().sort(function (a, b) { return a.length - b.length; });
    var ids = lists[0];
    for (var i = 1; i < lists.length && ids.length; i++) { ids = intersect(ids, lists[i]); }
    return ids;
  }

  // Candidates, best first: [[score, id], …]. A word found in a page scores 100, in its title
  // 10 more; a pinyin match counts as every word found in the title; a brand page 1 more.
  function candidates(p) {
    var tokens = [];
    var add = function (tk) { if (tokens.indexOf(tk) < 0) { tokens.push(tk); } };
    p.words.forEach(function (w) { bigramsOf(w).forEach(function (b) { add(b); add("^" + b); }); });
    if (p.pinyin) { bigramsOf(p.pinyin).forEach(function (b) { add("~" + b); }); }
    return lookup(tokens).then(function (lists) {
      var score = {};
      var bump = function (ids, s) { ids.forEach(function (i) { score[i] = (score[i] || 0) + s; }); };
      p.words.forEach(function (w) {
        var grams = bigramsOf(w);
        bump(every(grams.map(function (b) { return lists[b]; })), 100);
        bump(every(grams.map(function (b) { return lists["^" + b]; })), 10);
      });
      if (p.pinyin) {
        bump(every(bigramsOf(p.pinyin).map(function (b) { return lists["~" + b]; })), 110 * Math.max(1, p.words.length));
      }
      var out = Object.keys(score).map(function (k) { var i = +k; return [score[k] + (meta.kinds[i] === "b" ? 1 : 0), i]; });
      out.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
      return { ranked: out, lists: lists };
    });
  }

  // The brands whose titles share the most two-character pieces (or pinyin pieces) with a
  // query that found nothing: "did you mean".
  function nearest(p, lists) {
    var count = {};
    Object.keys(lists).forEach(function (tk) {
      if (tk.charAt(0) !== "^" && tk.charAt(0) !== "~") { return; }
      lists[tk].forEach(function (i) { if (meta.kinds[i] === "b") { count[i] = (count[i] || 0) + 1; } });
    });
    return Object.keys(count).map(Number).sort(function (a, b) { return count[b] - count[a] || a - b; }).slice(0, SUGGEST);
  }

  // doc: the document file; meta.du / meta.dt: unit and tags of document i
  function unitName(i, script) {
    if (meta.du[i] < 0) { return ""; }
    var u = meta.units[meta.du[i]];
    return script && u[2] ? u[2] : u[1];
  }
  function tagNames(i, script) {
    return meta.dt[i].map(function (k) { var g = meta.tags[k]; return script && g[2] ? g[2] : g[1]; });
  }
  function fullText(i, doc) { return [doc.t, doc.s, unitName(i, false), tagNames(i, false).join(" "), doc.x].join("\n"); }

  // How well a loaded page really matches: words found in its text, or -1 if nothing does.
  function check(i, doc, p) {
    var folded = fold(fullText(i, doc));
    var found = p.words.filter(function (w) { return folded.indexOf(w) >= 0; }).length;
    if (p.pinyin && (doc.py || []).some(function (k) { return k.indexOf(p.pinyin) >= 0; })) {
      found = Math.max(found, p.words.length, 1);
    }
    return found > 0 ? found : -1;
  }

  // ---------------------------------------------------------------- drawing results

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text) { e.textContent = text; }
    return e;
  }

  function pageHref(url) {
    // pages are linked as ".../index.html", like every other link of the site (works without a directory index)
    return rootHref + url + (url === "" || url.slice(-1) === "/" ? "index.html" : "");
  }

  // Append text to node with every occurrence of a word marked; positions come from the
  // folded text, which has the same length as the text shown.
  function highlight(node, text, words) {
    var folded = fold(text);
    var marks = [];
    words.forEach(function (r) {
      var at = folded.indexOf(r);
      while (at >= 0 && r.length) { marks.push([at, at + r.length]); at = folded.indexOf(r, at + r.length); }
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var pos = 0;
    marks.forEach(function (m) {
      if (m[0] < pos) { return; }
      node.appendChild(document.createTextNode(text.slice(pos, m[0])));
      node.appendChild(el("mark", "", text.slice(m[0], m[1])));
      pos = m[1];
    });
    node.appendChild(document.createTextNode(text.slice(pos)));
  }

  function excerpt(text, words) {
    var folded = fold(text);
    var at = -1;
    words.forEach(function (r) { var p = folded.indexOf(r); if (p >= 0 && (at < 0 || p < at)) { at = p; } });
    var flat = function (s) { return s.replace(/\s+/g, " "); };
    if (at < 0) { return flat(text.slice(0, 90)) + (text.length > 90 ? "…" : ""); }
    var start = Math.max(0, at - 30);
    var end = Math.min(text.length, at + 70);
    return (start > 0 ? "…" : "") + flat(text.slice(start, end)) + (end < text.length ? "…" : "");
  }

  function renderOne(i, doc, words) {
    var li = el("li", "search-result");
    var h = el("h2");
    var a = el("a");
    a.href = pageHref(doc.u);
    highlight(a, hant && doc.th ? doc.th : doc.t, words);
    h.appendChild(a);
    li.appendChild(h);
    var bits = [];
    var sub = hant && doc.sh ? doc.sh : doc.s;
    if (sub) { bits.push(sub); }
    var unit = unitName(i, hant);
    if (unit) { bits.push(unit); }
    var tags = tagNames(i, hant);
    if (tags.length) { bits.push(tags.join("、")); }
    if (bits.length) {
      var m = el("p", "result-meta");
      highlight(m, bits.join(" · "), words);
      li.appendChild(m);
    }
    var p = el("p", "result-excerpt");
    highlight(p, excerpt(hant && doc.h ? doc.h : doc.x, words), words);
    li.appendChild(p);
    list.appendChild(li);
  }

  function setStatus(text) { statusEl.textContent = text; }

  function allBrandsLink() {
    var a = el("a", "", t("浏览全部品牌", "瀏覽全部品牌"));
    a.href = rootHref + "branches/index.html";
    return a;
  }

  // Nothing found (or the index could not be read): the nearest brand names and a way on.
  function suggest(seq, ids, lead) {
    suggestEl.textContent = "";
    suggestEl.hidden = false;
    return Promise.all(ids.map(loadDoc)).then(function (docs) {
      if (seq !== state.seq) { return; }
      if (docs.length) {
        suggestEl.appendChild(el("p", "", t("您是不是要找：", "您是不是要找：")));
        var ul = el("ul", "search-suggest-list");
        docs.forEach(function (doc) {
          var li = el("li");
          var a = el("a", "", hant && doc.th ? doc.th : doc.t);
          a.href = pageHref(doc.u);
          li.appendChild(a);
          ul.appendChild(li);
        });
        suggestEl.appendChild(ul);
      }
      var p = el("p", "", lead || t("也可以", "也可以"));
      p.appendChild(allBrandsLink());
      p.appendChild(document.createTextNode(t("，或换一个词再搜。", "，或換一個詞再搜。")));
      suggestEl.appendChild(p);
    });
  }

  function showMore(seq) {
    var take = state.ids.slice(state.shown, state.shown + PAGE_SIZE);
    more.hidden = true;
    return Promise.all(take.map(loadDoc)).then(function (docs) {
      if (seq !== state.seq) { return; }
      var rows = [];
      take.forEach(function (i, k) {
        var found = check(i, docs[k], state.q);
        if (found > 0) { rows.push([found, k]); } else { state.total -= 1; }
      });
      // within what was loaded, pages that really hold more of the words first (stable)
      rows.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
      rows.forEach(function (r) { renderOne(take[r[1]], docs[r[1]], state.q.words); });
      state.shown += take.length;
      more.hidden = state.shown >= state.ids.length;
      report();
      if (state.total <= 0 && state.shown >= state.ids.length) {
        return suggest(seq, nearest(state.q, state.lists));
      }
    });
  }

  function report() {
    var q = input.value.trim();
    if (state.total <= 0) {
      setStatus(t("没有找到与“" + q + "”相关的内容。", "沒有找到與「" + q + "」相關的內容。"));
    } else {
      setStatus(t("“" + q + "”共找到 " + state.total + " 个结果", "「" + q + "」共找到 " + state.total + " 個結果"));
    }
  }

  function updateFacets(ids) {
    var units = {};
    var tags = {};
    ids.forEach(function (i) {
      if (meta.du[i] >= 0) { var u = meta.units[meta.du[i]][0]; units[u] = (units[u] || 0) + 1; }
      meta.dt[i].forEach(function (k) { var s = meta.tags[k][0]; tags[s] = (tags[s] || 0) + 1; });
    });
    [[unitSel, units], [tagSel, tags]].forEach(function (pair) {
      var sel = pair[0];
      if (!sel) { return; }
      Array.prototype.forEach.call(sel.options, function (o) {
        if (!o.value) { return; }
        if (!o.hasAttribute("data-label")) { o.setAttribute("data-label", o.textContent); }
        var n = pair[1][o.value] || 0;
        o.textContent = o.getAttribute("data-label") + "（" + n + "）";
        o.hidden = n === 0 && !o.selected;
      });
    });
  }

  function run(push) {
    var q = input.value.trim();
    var seq = ++state.seq;
    list.textContent = "";
    suggestEl.textContent = "";
    suggestEl.hidden = true;
    more.hidden = true;
    if (headerInput) { headerInput.value = q; }
    var params = new URLSearchParams();
    if (q) { params.set("q", q); }
    if (unitSel && unitSel.value) { params.set("unit", unitSel.value); }
    if (tagSel && tagSel.value) { params.set("tag", tagSel.value); }
    if (push) {
      try { history.replaceState(null, "", "?" + params.toString()); } catch (e) { /* some file:// setups */ }
    }
    if (!q) { setStatus(t("请输入要搜索的品牌名、支部名或内容。", "請輸入要搜索的品牌名、支部名或內容。")); return Promise.resolve(); }
    setStatus(t("正在搜索…", "正在搜索…"));
    return loadMeta().then(function () {
      var p = parse(q);
      state.q = p;
      if (!p.words.length && !p.pinyin) {
        setStatus(t("请至少输入两个字。", "請至少輸入兩個字。"));
        return;
      }
      return candidates(p).then(function (found) {
        if (seq !== state.seq) { return; }
        var ids = found.ranked.map(function (x) { return x[1]; });
        updateFacets(ids);
        var unit = unitSel ? unitSel.value : "";
        var tag = tagSel ? tagSel.value : "";
        state.ids = ids.filter(function (i) {
          if (unit && (meta.du[i] < 0 || meta.units[meta.du[i]][0] !== unit)) { return false; }
          if (tag && !meta.dt[i].some(function (k) { return meta.tags[k][0] === tag; })) { return false; }
          return true;
        });
        state.lists = found.lists;
        state.shown = 0;
        state.total = state.ids.length;
        return showMore(seq);
      });
    }).catch(function () {
      if (seq !== state.seq) { return; }
      setStatus(t("搜索功能暂时无法使用：网页没能读取搜索索引文件（search/idx/）。",
                  "搜索功能暫時無法使用：網頁沒能讀取搜索索引文件（search/idx/）。"));
      suggest(seq, [], t("可以先", "可以先"));
    });
  }

  // The public entry point, also used by tests and bench/search_recall.py: every result
  // (checked against the text), best first, as {url, title}.
  window.brandsiteSearch = {
    query: function (q) {
      return loadMeta().then(function () {
        var p = parse(q);
        return candidates(p).then(function (found) {
          var ids = found.ranked.map(function (x) { return x[1]; });
          return Promise.all(ids.map(loadDoc)).then(function (docs) {
            var rows = [];
            ids.forEach(function (i, k) { var f = check(i, docs[k], p); if (f > 0) { rows.push([f, k]); } });
            rows.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
            return rows.map(function (r) { return { url: docs[r[1]].u, title: docs[r[1]].t }; });
          });
        });
      });
    }
  };

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  if (unitSel && params.get("unit")) { unitSel.value = params.get("unit"); }
  if (tagSel && params.get("tag")) { tagSel.value = params.get("tag"); }
  form.addEventListener("submit", function (e) { e.preventDefault(); run(true); });
  [unitSel, tagSel].forEach(function (sel) { if (sel) { sel.addEventListener("change", function () { run(true); }); } });
  more.addEventListener("click", function () { showMore(state.seq); });
  run(false);
}());
