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
  place();
  wide.addEventListener("change", place);
  window.addEventListener("resize", place);
  window.addEventListener("load", place);
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(place);
})();
