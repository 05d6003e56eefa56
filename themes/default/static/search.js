// Site search over the character-bigram index that brandsite/search.py writes to search/idx/.
// No dependencies, no inline script, no request outside the site: every file is fetched
// relative to this page, so the site works from any sub-folder.
// A query is folded exactly like the index (Traditional -> Simplified with the table in
// meta.json, full-width -> ASCII, lower case); pages containing every bigram of it are
// candidates, and the text of each result shown is checked and its excerpt highlighted.
(function () {
  "use strict";
  var app = document.getElementById("search-app");
  if (!app) { return; }
  var PAGE_SIZE = 20;
  var metaUrl = new URL(app.getAttribute("data-index"), document.baseURI);
  var rootHref = app.getAttribute("data-root").replace(/index\.html$/, "");
  var hant = app.getAttribute("data-script") === "hant";
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-q");
  var unitSel = document.getElementById("search-unit");
  var tagSel = document.getElementById("search-tag");
  var statusEl = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var RUN = /[\p{L}\p{N}]+/gu;
  var meta = null;
  var foldMap = null;
  var shardCache = {};
  var docCache = {};
  var state = { seq: 0, ids: [], shown: 0, runs: [], total: 0 };

  function t(hans, hantText) { return hant ? hantText : hans; }

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

  function runsOf(folded) { return folded.match(RUN) || []; }

  function bigramsOf(runs) {
    var seen = {};
    var out = [];
    runs.forEach(function (r) {
      var cps = Array.from(r);
      for (var i = 0; i + 1 < cps.length; i++) {
        var b = cps[i] + cps[i + 1];
        if (!seen[b]) { seen[b] = true; out.push(b); }
      }
    });
    return out;
  }

  function shardOf(tok, n) {
    var cps = Array.from(tok);
    return (cps[0].codePointAt(0) * 31 + cps[1].codePointAt(0)) % n;
  }

  function getJSON(url, fresh) {
    return fetch(url, fresh ? { cache: "no-cache" } : {}).then(function (r) {
      if (!r.ok) { throw new Error(r.status + " " + url); }
      return r.json();
    });
  }

  function loadMeta() {
    if (meta) { return Promise.resolve(meta); }
    return getJSON(metaUrl, true).then(function (m) {
      meta = m;
      foldMap = {};
      var pairs = Array.from(m.fold);
      for (var i = 0; i + 1 < pairs.length; i += 2) { foldMap[pairs[i]] = pairs[i + 1]; }
      return m;
    });
  }

  function loadShard(n) {
    if (!shardCache[n]) { shardCache[n] = getJSON(new URL(meta.shards[n], metaUrl)); }
    return shardCache[n];
  }

  function loadDoc(i) {
    var name = meta.docs[i][8];
    if (!docCache[name]) { docCache[name] = getJSON(new URL("d/" + name + ".json", metaUrl)); }
    return docCache[name];
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

  // doc row: [url, kind, title, titleHant, sub, subHant, unit, tags, file]
  function unitName(d, script) {
    if (d[6] < 0) { return ""; }
    var u = meta.units[d[6]];
    return script && u[2] ? u[2] : u[1];
  }
  function tagNames(d, script) {
    return d[7].map(function (k) { var g = meta.tags[k]; return script && g[2] ? g[2] : g[1]; });
  }
  function headText(d) { return [d[2], d[4], unitName(d, false), tagNames(d, false).join(" ")].join("\n"); }

  function containsAll(folded, runs) {
    for (var i = 0; i < runs.length; i++) { if (folded.indexOf(runs[i]) < 0) { return false; } }
    return true;
  }

  function candidates(runs) {
    var toks = bigramsOf(runs);
    if (!toks.length) { return Promise.resolve(null); }
    var n = meta.shards.length;
    var need = {};
    toks.forEach(function (tk) { need[shardOf(tk, n)] = true; });
    return Promise.all(Object.keys(need).map(function (k) { return loadShard(+k); })).then(function () {
      return Promise.all(toks.map(function (tk) { return loadShard(shardOf(tk, n)); }));
    }).then(function (shards) {
      var lists = toks.map(function (tk, i) { return postings(shards[i][tk] || []); });
      lists.sort(function (a, b) { return a.length - b.length; });
      var ids = lists[0];
      for (var i = 1; i < lists.length && ids.length; i++) { ids = intersect(ids, lists[i]); }
      return ids;
    });
  }

  function score(i, runs) {
    var d = meta.docs[i];
    var s = 0;
    if (containsAll(fold(d[2]), runs)) { s += 8; }
    if (containsAll(fold(headText(d)), runs)) { s += 2; }
    if (d[1] === "branch") { s += 1; }
    return s;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text) { e.textContent = text; }
    return e;
  }

  // Append text to node with every occurrence of a run marked; positions come from the
  // folded text, which has the same length as the text shown.
  function highlight(node, text, runs) {
    var folded = fold(text);
    var marks = [];
    runs.forEach(function (r) {
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

  function excerpt(text, runs) {
    var folded = fold(text);
    var at = -1;
    runs.forEach(function (r) { var p = folded.indexOf(r); if (p >= 0 && (at < 0 || p < at)) { at = p; } });
    var flat = function (s) { return s.replace(/\s+/g, " "); };
    if (at < 0) { return flat(text.slice(0, 90)) + (text.length > 90 ? "…" : ""); }
    var start = Math.max(0, at - 30);
    var end = Math.min(text.length, at + 70);
    return (start > 0 ? "…" : "") + flat(text.slice(start, end)) + (end < text.length ? "…" : "");
  }

  function renderOne(i, body, runs) {
    var d = meta.docs[i];
    var li = el("li", "search-result");
    var h = el("h2");
    var a = el("a");
    // pages are linked as ".../index.html", like every other link of the site (works without a directory index)
    a.href = rootHref + d[0] + (d[0] === "" || d[0].slice(-1) === "/" ? "index.html" : "");
    highlight(a, hant && d[3] ? d[3] : d[2], runs);
    h.appendChild(a);
    li.appendChild(h);
    var bits = [];
    var sub = hant && d[5] ? d[5] : d[4];
    if (sub) { bits.push(sub); }
    var unit = unitName(d, hant);
    if (unit) { bits.push(unit); }
    var tags = tagNames(d, hant);
    if (tags.length) { bits.push(tags.join("、")); }
    if (bits.length) {
      var m = el("p", "result-meta");
      highlight(m, bits.join(" · "), runs);
      li.appendChild(m);
    }
    var shown = hant && body.h ? body.h : body.t;
    var p = el("p", "result-excerpt");
    highlight(p, excerpt(shown, runs), runs);
    li.appendChild(p);
    list.appendChild(li);
  }

  function setStatus(text) { statusEl.textContent = text; }

  function showMore(seq) {
    var take = state.ids.slice(state.shown, state.shown + PAGE_SIZE);
    more.hidden = true;
    return Promise.all(take.map(loadDoc)).then(function (bodies) {
      if (seq !== state.seq) { return; }
      take.forEach(function (i, k) {
        var full = fold(headText(meta.docs[i]) + "\n" + bodies[k].t);
        if (containsAll(full, state.runs)) { renderOne(i, bodies[k], state.runs); }
        else { state.total -= 1; }
      });
      state.shown += take.length;
      more.hidden = state.shown >= state.ids.length;
      report();
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
      var d = meta.docs[i];
      if (d[6] >= 0) { units[meta.units[d[6]][0]] = (units[meta.units[d[6]][0]] || 0) + 1; }
      d[7].forEach(function (k) { var s = meta.tags[k][0]; tags[s] = (tags[s] || 0) + 1; });
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
    more.hidden = true;
    var params = new URLSearchParams();
    if (q) { params.set("q", q); }
    if (unitSel && unitSel.value) { params.set("unit", unitSel.value); }
    if (tagSel && tagSel.value) { params.set("tag", tagSel.value); }
    if (push) { history.replaceState(null, "", "?" + params.toString()); }
    if (!q) { setStatus(t("请输入要搜索的品牌名、支部名或内容。", "請輸入要搜索的品牌名、支部名或內容。")); return Promise.resolve(); }
    setStatus(t("正在搜索…", "正在搜索…"));
    return loadMeta().then(function () {
      var runs = runsOf(fold(q));
      state.runs = runs;
      return candidates(runs).then(function (ids) {
        if (seq !== state.seq) { return; }
        if (ids === null) {
          setStatus(t("请至少输入两个字。", "請至少輸入兩個字。"));
          return;
        }
        updateFacets(ids);
        var unit = unitSel ? unitSel.value : "";
        var tag = tagSel ? tagSel.value : "";
        ids = ids.filter(function (i) {
          var d = meta.docs[i];
          if (unit && (d[6] < 0 || meta.units[d[6]][0] !== unit)) { return false; }
          if (tag && !d[7].some(function (k) { return meta.tags[k][0] === tag; })) { return false; }
          return true;
        });
        var scored = ids.map(function (i) { return [score(i, runs), i]; });
        scored.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
        state.ids = scored.map(function (x) { return x[1]; });
        state.shown = 0;
        state.total = state.ids.length;
        return showMore(seq);
      });
    }).catch(function () {
      setStatus(t("搜索索引加载失败，请稍后再试。", "搜索索引載入失敗，請稍後再試。"));
    });
  }

  // The public entry point, also used by tests and bench/search_recall.py: every result
  // (checked against the text) as {url, title}.
  window.brandsiteSearch = {
    query: function (q) {
      return loadMeta().then(function () {
        var runs = runsOf(fold(q));
        return candidates(runs).then(function (ids) {
          return Promise.all((ids || []).map(loadDoc)).then(function (bodies) {
            return (ids || []).filter(function (i, k) {
              return containsAll(fold(headText(meta.docs[i]) + "\n" + bodies[k].t), runs);
            }).map(function (i) { return { url: meta.docs[i][0], title: meta.docs[i][2] }; });
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
