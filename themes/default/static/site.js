// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // "/" focuses the search box, unless the reader is typing somewhere.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    var box = document.getElementById("site-search-q");
    if (box) { event.preventDefault(); box.focus(); }
  });
})();
