// brandsite default theme: reading preferences and in-place brand filters.
// Loaded (not inline) from <head> so 长者模式 / 高对比度 apply before the first paint and a strict
// Content-Security-Policy (script-src 'self') needs no exception. Plain ES5: old lobby PCs.
(function () {
  "use strict";
  var root = document.documentElement;
  var PREFS = { elder: "elder", contrast: "hc" };
  var KEY = "brandsite.pref.";

  function stored(name) {
    try {
      return window.localStorage.getItem(KEY + name) === "1";
    } catch (e) {
      return false;
    }
  }

  function store(name, on) {
    try {
      if (on) {
        window.localStorage.setItem(KEY + name, "1");
      } else {
        window.localStorage.removeItem(KEY + name);
      }
    } catch (e) {
      // private mode or storage disabled: the switch still works on this page
    }
  }

  function apply(name, on) {
    if (on) {
      root.classList.add(PREFS[name]);
    } else {
      root.classList.remove(PREFS[name]);
    }
  }

  var name;
  for (name in PREFS) {
    if (Object.prototype.hasOwnProperty.call(PREFS, name)) {
      apply(name, stored(name));
    }
  }

  function each(list, fn) {
    Array.prototype.forEach.call(list, fn);
  }

  function initPrefs() {
    var group = document.querySelector(".prefs");
    if (!group) {
      return;
    }
    each(group.querySelectorAll("button[data-pref]"), function (button) {
      var pref = button.getAttribute("data-pref");
      button.setAttribute("aria-pressed", root.classList.contains(PREFS[pref]) ? "true" : "false");
      button.addEventListener("click", function () {
        var on = !root.classList.contains(PREFS[pref]);
        apply(pref, on);
        store(pref, on);
        button.setAttribute("aria-pressed", on ? "true" : "false");
      });
    });
    group.hidden = false;
  }

  // Filters: the unit and tag links lead to their own pages; where the page holds every card
  // ([data-cards]), a click filters the cards in place instead and the choice goes in the URL hash.
  function initFilters() {
    var box = document.querySelector("[data-filters]");
    var list = document.querySelector("[data-cards]");
    if (!box || !list) {
      return;
    }
    var cards = list.querySelectorAll(".card[data-unit]");
    var links = box.querySelectorAll("a[data-filter]");
    var status = document.querySelector("[data-filter-status]");
    var summary = box.querySelector("[data-filter-summary]");
    var summaryText = summary ? summary.textContent : "";
    // on a phone the 20-odd filter links fold into one control until asked for
    if (box.tagName === "DETAILS" && window.matchMedia && window.matchMedia("(max-width: 40rem)").matches) {
      box.open = false;
    }
    var state = { unit: "", tag: "" };
    var names = { unit: {}, tag: {} };

    each(links, function (a) {
      var f = a.getAttribute("data-filter").split(":");
      var label = a.firstChild ? a.firstChild.nodeValue : "";
      names[f[0]][f[1]] = (label || "").replace(/\s+$/, "");
    });

    function fromHash() {
      state.unit = "";
      state.tag = "";
      each(window.location.hash.replace(/^#/, "").split("&"), function (part) {
        var kv = part.split("=");
        if ((kv[0] === "unit" || kv[0] === "tag") && names[kv[0]][decodeURIComponent(kv[1] || "")] !== undefined) {
          state[kv[0]] = decodeURIComponent(kv[1]);
        }
      });
    }

    function render(announce) {
      var shown = 0;
      each(cards, function (card) {
        var tags = " " + (card.getAttribute("data-tags") || "") + " ";
        var ok = (!state.unit || card.getAttribute("data-unit") === state.unit) &&
          (!state.tag || tags.indexOf(" " + state.tag + " ") >= 0);
        card.hidden = !ok;
        if (ok) {
          shown += 1;
        }
      });
      each(links, function (a) {
        var f = a.getAttribute("data-filter").split(":");
        if (state[f[0]] === f[1]) {
          a.setAttribute("aria-current", "true");
        } else {
          a.removeAttribute("aria-current");
        }
      });
      var parts = [];
      if (state.unit) {
        parts.push(names.unit[state.unit]);
      }
      if (state.tag) {
        parts.push(names.tag[state.tag]);
      }
      if (summary) {
        summary.textContent = parts.length ? parts.join(" · ") + "（" + shown + "）" : summaryText;
      }
      if (status && announce) {
        status.textContent = parts.length ? "筛选：" + parts.join(" · ") + "，共 " + shown + " 个品牌" : "显示全部 " + shown + " 个品牌";
      }
    }

    function toHash() {
      var parts = [];
      if (state.unit) {
        parts.push("unit=" + encodeURIComponent(state.unit));
      }
      if (state.tag) {
        parts.push("tag=" + encodeURIComponent(state.tag));
      }
      var url = window.location.pathname + window.location.search + (parts.length ? "#" + parts.join("&") : "");
      if (window.history && window.history.replaceState) {
        window.history.replaceState(null, "", url);
      }
    }

    each(links, function (a) {
      a.addEventListener("click", function (event) {
        if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
          return;
        }
        event.preventDefault();
        var f = a.getAttribute("data-filter").split(":");
        state[f[0]] = state[f[0]] === f[1] ? "" : f[1];
        render(true);
        toHash();
      });
    });

    fromHash();
    render(Boolean(state.unit || state.tag));
  }

  // No lone last character in headings, card titles and slogans ("…成 / 长"). Browsers that know
  // text-wrap: balance (style.css) do it themselves; for the others (older Chromium cores of
  // domestic browsers, in-app browsers) the last two characters of a long enough text are kept
  // together in a .nobr span. Done here rather than at build time: the built pages keep every
  // name and slogan as one unbroken string (search engines, copy and paste, the Traditional
  // conversion's protected names).
  function keepTails() {
    if (window.CSS && CSS.supports && (CSS.supports("text-wrap", "balance") || CSS.supports("text-wrap-style", "balance"))) {
      return;
    }
    var HAN = /[\u3400-\u9fff\uf900-\ufaff][\u3400-\u9fff\uf900-\ufaff][」』”’）》〉。，、！？：；…]*$/;
    each(document.querySelectorAll("h1, h2, h3, .card-title a, .slogan, .card-slogan"), function (el) {
      if (el.querySelector(".nobr") || el.textContent.replace(/\s+/g, "").length < 5) {
        return;
      }
      var node = el.lastChild;
      while (node && node.nodeType !== 3) {
        node = node.lastChild;
      }
      var text = node && node.nodeValue.replace(/\s+$/, "");
      var m = text && HAN.exec(text);
      if (!m) {
        return;
      }
      var span = document.createElement("span");
      span.className = "nobr";
      span.textContent = m[0];
      node.nodeValue = text.slice(0, m.index);
      node.parentNode.insertBefore(span, node.nextSibling);
    });
  }

  // On a phone the main navigation scrolls sideways: show that more items wait at the edge, and
  // bring the current section's item into view so a visitor sees where they are.
  function initNavScroll() {
    var list = document.querySelector(".site-nav ul");
    if (!list) {
      return;
    }
    var current = list.querySelector("[aria-current]");
    if (current && list.scrollWidth > list.clientWidth) {
      var item = current.parentNode;
      var right = item.offsetLeft + item.offsetWidth - list.clientWidth;
      if (right > list.scrollLeft) {
        list.scrollLeft = right + 16;
      }
    }
    function mark() {
      var more = list.scrollLeft + list.clientWidth < list.scrollWidth - 2;
      var before = list.scrollLeft > 2;
      list.classList[more ? "add" : "remove"]("nav-more");
      list.classList[before ? "add" : "remove"]("nav-before");
    }
    mark();
    list.addEventListener("scroll", mark);
    window.addEventListener("resize", mark);
  }

  document.addEventListener("DOMContentLoaded", function () {
    initPrefs();
    initFilters();
    keepTails();
    initNavScroll();
  });
}());
