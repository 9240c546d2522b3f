// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // "/" focuses the search box, unless the reader is typing somewhere.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    var box = document.getElementById("site-search-q") || document.getElementById("search-q");
    if (box) { event.preventDefault(); box.focus(); }
  });

  // The "/" hint only where there is a keyboard to press it on.
  var searchBox = document.getElementById("site-search-q");
  if (searchBox && window.matchMedia("(hover: hover) and (pointer: fine)").matches) searchBox.placeholder = "Search (press /)";

  // A highlight and its margin note light up together while either is pointed at or focused
  // (a highlight of the standfirst stands in the article's header, above its body).
  function pair(event, on) {
    var owner = event.target.closest && event.target.closest(".article [data-note]");
    if (!owner) return;
    var article = owner.closest(".article");
    article.querySelectorAll('[data-note="' + owner.getAttribute("data-note") + '"]').forEach(function (element) {
      element.classList.toggle("paired", on);
    });
  }
  ["mouseover", "focusin"].forEach(function (name) { document.addEventListener(name, function (e) { pair(e, true); }); });
  ["mouseout", "focusout"].forEach(function (name) { document.addEventListener(name, function (e) { pair(e, false); }); });

  // Wide screens: each margin note level with its highlight's marker, below the note before it.
  // Without this script the notes float beside the block after their highlight's paragraph.
  var wide = window.matchMedia("(min-width: 64rem)");
  var GAP = 12;
  function place() {
    document.querySelectorAll(".article-body").forEach(function (body) {
      var notes = body.querySelectorAll(".margin-note[data-note]");
      body.classList.toggle("notes-placed", wide.matches && notes.length > 0);
      body.style.minHeight = "";
      notes.forEach(function (note) { note.style.top = ""; });
      if (!wide.matches || !notes.length) return;
      var origin = body.getBoundingClientRect().top;
      var bottom = 0;
      notes.forEach(function (note) {
        var slug = note.getAttribute("data-note");
        var start = body.querySelector('.hl-ref[data-note="' + slug + '"], mark[data-note="' + slug + '"]');
        var top = Math.max(start ? start.getBoundingClientRect().top - origin : bottom, bottom);
        note.style.top = top + "px";
        bottom = top + note.offsetHeight + GAP;
      });
      if (bottom > body.offsetHeight) body.style.minHeight = bottom + "px";
    });
  }

  // Wikilinks and entity links: pointed at or focused, a card shows the start of the page they
  // lead to, read from that page itself (same site, so it works under any base path). Escape
  // hides it. Without this script, or where the page cannot be fetched (a file opened from
  // disk), they are plain links. The card is text only: nothing of the fetched page runs here.
  var PREVIEW_TEXT = 280;
  var SHOW_DELAY = 300;
  var HIDE_DELAY = 250;
  var fetched = {};
  var card = null;
  var shownFor = null;
  var pending = null;  // the link whose preview is wanted
  var showTimer = 0;
  var hideTimer = 0;

  function previewable(element) {
    var link = element && element.closest && element.closest("a.wikilink[href], a.entity-link[href]");
    if (!link || location.protocol === "file:") return null;
    var target = new URL(link.href, location.href);
    return target.origin === location.origin ? link : null;
  }

  function pageText(doc, hash) {
    var main = doc.querySelector("main");
    if (!main) return null;
    var title = main.querySelector("h1");
    var kicker = main.querySelector("header .kicker");
    var heading = hash ? doc.getElementById(decodeURIComponent(hash.slice(1))) : null;
    var parts = [];
    var quote = heading ? null : main.querySelector(".quote-in-context mark");
    if (quote) parts.push("\u201c" + quote.textContent.trim() + "\u201d");
    var paragraphs = [];
    if (heading && /^H[1-6]$/.test(heading.tagName)) {
      for (var next = heading.nextElementSibling; next && !/^H[1-6]$/.test(next.tagName); next = next.nextElementSibling) {
        if (next.tagName === "P") paragraphs.push(next);
      }
    } else {
      heading = null;
      paragraphs = main.querySelectorAll(".article-body > p, .note-body p, .entity-body p");
    }
    for (var i = 0; i < paragraphs.length && parts.join(" ").length < PREVIEW_TEXT; i++) {
      var words = paragraphs[i].textContent.replace(/\s+/g, " ").trim();
      if (words) parts.push(words);
    }
    var text = parts.join(" ");
    if (text.length > PREVIEW_TEXT) text = text.slice(0, text.lastIndexOf(" ", PREVIEW_TEXT)).replace(/[\s,;:.\u2014-]+$/, "") + "\u2026";
    return {
      kicker: kicker ? kicker.textContent.replace(/\s+/g, " ").trim() : "",
      title: (title ? title.textContent.trim() : doc.title) + (heading ? " \u203a " + heading.textContent.trim() : ""),
      text: text
    };
  }

  function preview(link) {
    var target = new URL(link.href, location.href);
    var page = target.origin + target.pathname;
    if (!fetched[page]) {
      fetched[page] = fetch(page, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) { return html && new DOMParser().parseFromString(html, "text/html"); })
        .catch(function () { return null; });
    }
    return fetched[page].then(function (doc) { return doc && pageText(doc, target.hash); });
  }

  function makeCard() {
    card = document.createElement("div");
    card.className = "link-preview";
    card.id = "link-preview";
    card.setAttribute("role", "tooltip");
    card.hidden = true;
    ["kicker", "title", "text"].forEach(function (part) {
      var line = document.createElement("p");
      line.className = "link-preview-" + part;
      card.appendChild(line);
    });
    card.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
    card.addEventListener("mouseleave", function () { hideSoon(); });
    (document.querySelector("main") || document.body).appendChild(card);
  }

  function position(link) {
    var lines = link.getClientRects();  // a link broken over two lines: below the last, or above the first
    var first = lines[0] || link.getBoundingClientRect();
    var last = lines[lines.length - 1] || first;
    var width = card.offsetWidth;
    var height = card.offsetHeight;
    var root = document.documentElement;
    var above = last.bottom + 6 + height > root.clientHeight && first.top - height - 6 > 0;
    var left = Math.max(8, Math.min((above ? first : last).left, root.clientWidth - width - 8));
    var top = above ? first.top - height - 6 : last.bottom + 6;
    var parent = card.offsetParent;  // the body unless a theme positions <main>: then the page itself
    var origin = parent && parent !== document.body ? parent.getBoundingClientRect() : { left: -window.scrollX, top: -window.scrollY };
    card.style.left = left - origin.left + "px";
    card.style.top = top - origin.top + "px";
  }

  function show(link) {
    preview(link).then(function (summary) {
      if (!summary || pending !== link) return;  // pointed away meanwhile, or nothing to show
      if (!card) makeCard();
      card.children[0].textContent = summary.kicker;
      card.children[0].hidden = !summary.kicker;
      card.children[1].textContent = summary.title;
      card.children[2].textContent = summary.text;
      card.children[2].hidden = !summary.text;
      if (shownFor) shownFor.removeAttribute("aria-describedby");
      shownFor = link;
      link.setAttribute("aria-describedby", card.id);
      card.hidden = false;
      position(link);
    });
  }

  function showSoon(link, delay) {
    clearTimeout(hideTimer);
    clearTimeout(showTimer);
    pending = link;
    if (shownFor !== link) showTimer = setTimeout(function () { show(link); }, delay);
  }

  function hide() {
    clearTimeout(showTimer);
    pending = null;
    if (!card || card.hidden) return;
    card.hidden = true;
    if (shownFor) shownFor.removeAttribute("aria-describedby");
    shownFor = null;
  }

  function hideSoon() {
    clearTimeout(showTimer);
    pending = null;
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, HIDE_DELAY);
  }

  document.addEventListener("mouseover", function (event) {
    var link = previewable(event.target);
    if (!link) return;
    if (link.title) {  // the card says more than the browser's own tooltip, which would cover it
      link.setAttribute("data-title", link.title);
      link.removeAttribute("title");
    }
    showSoon(link, SHOW_DELAY);
  });
  document.addEventListener("mouseout", function (event) {
    var link = previewable(event.target);
    if (link && !link.contains(event.relatedTarget)) hideSoon();
  });
  document.addEventListener("focusin", function (event) {
    var link = previewable(event.target);
    if (link) showSoon(link, 0);
  });
  document.addEventListener("focusout", function (event) {
    if (previewable(event.target)) hide();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && card && !card.hidden) hide();
  });
  window.addEventListener("resize", function () { if (card && !card.hidden) position(shownFor); });

  place();
  wide.addEventListener("change", place);
  window.addEventListener("resize", place);
  window.addEventListener("load", place);
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(place);
})();
