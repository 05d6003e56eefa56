// brandsite preview client: injected by `python build.py serve` only, never into a published build.
// Listens for rebuilds over Server-Sent Events; closes its connection while the tab is hidden
// (browsers allow about six connections per host) and catches up when it becomes visible.
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script.src.replace(/reload\.js(\?.*)?$/, "");
  var source = null;
  var version = null;
  var instance = null;
  var overlay = null;

  function showErrors(list) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "brandsite-errors";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.92);" +
        "color:#fff;font:16px/1.6 system-ui,sans-serif;padding:2rem";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "";
    var h = document.createElement("h2");
    h.textContent = "内容有错误，网站未更新（共 " + list.length + " 处）";
    h.style.cssText = "color:#ffd166;margin:0 0 1rem;font-size:1.4rem";
    overlay.appendChild(h);
    var p = document.createElement("p");
    p.textContent = "请按提示修改对应文件并保存，本页会自动刷新。当前显示的是上一次成功生成的网站。";
    overlay.appendChild(p);
    var ul = document.createElement("ul");
    ul.style.cssText = "font-family:ui-monospace,Consolas,monospace;white-space:pre-wrap;padding-left:1.2rem";
    list.forEach(function (line) {
      var li = document.createElement("li");
      li.textContent = line;
      li.style.marginBottom = ".5rem";
      ul.appendChild(li);
    });
    overlay.appendChild(ul);
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "暂时关闭";
    close.style.cssText = "font-size:1rem;padding:.4rem 1rem";
    close.onclick = clearErrors;
    overlay.appendChild(close);
  }

  function clearErrors() {
    if (overlay) { overlay.remove(); overlay = null; }
  }

  function swapStylesheets() {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var url = links[i].href.split("?")[0];
      links[i].href = url + "?v=" + Date.now();
    }
  }

  function data(e) { return JSON.parse(e.data); }

  // this page's path in the site ("branches/x/index.html"); the site root is where the script's folder is
  function here() {
    var root = base.replace(/__brandsite\/$/, "");
    var path = location.href.split("#")[0].split("?")[0];
    if (path.indexOf(root) !== 0) { return null; }
    try { path = decodeURIComponent(path.slice(root.length)); } catch (err) { return null; }
    if (path === "" || path.charAt(path.length - 1) === "/") { path += "index.html"; }
    return path;
  }

  function connect() {
    if (source) { return; }
    source = new EventSource(base + "events");
    source.addEventListener("hello", function (e) {
      var d = data(e);
      if (d.errors.length) { version = d.version; instance = d.instance; showErrors(d.errors); return; }
      if (version !== null && (d.version !== version || d.instance !== instance)) { location.reload(); return; }
      version = d.version;
      instance = d.instance;
      clearErrors();
    });
    source.addEventListener("reload", function (e) {
      var d = data(e);
      var me = here();
      // only the pages that changed reload (pages: null means every page)
      if (d.pages && me !== null && d.pages.indexOf(me) < 0) { version = d.version; return; }
      location.reload();
    });
    source.addEventListener("css", function (e) { version = data(e).version; swapStylesheets(); clearErrors(); });
    source.addEventListener("errors", function (e) { var d = data(e); version = d.version; showErrors(d.errors); });
  }

  function disconnect() {
    if (source) { source.close(); source = null; }
  }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) { disconnect(); } else { connect(); }
  });
  window.addEventListener("pagehide", disconnect);
  // back/forward cache: a page restored after "pagehide" must listen again (and catch up via hello)
  window.addEventListener("pageshow", function (e) { if (e.persisted && !document.hidden) { connect(); } });
  if (!document.hidden) { connect(); }
})();
