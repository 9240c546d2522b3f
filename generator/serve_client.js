// Live reload for `sitegen serve`. The server adds this script to HTML responses as they are
// served; it is never written into a built site.
//
// Events from /__sitegen/events (server-sent events):
//   hello  {"build": "..."}    sent on every (re)connect; a build other than the one the page
//                               was served from means it missed a rebuild (or a restart): reload.
//   reload {"changed": [...]}   a rebuild succeeded: reload, keeping the scroll position.
//   css    {"stylesheets": {path: url}}  only stylesheets changed: swap them in, no reload.
//   error  {"problems": [{"where": "path:line", "message": "..."}]}  show the overlay.
(function () {
  "use strict";
  var OVERLAY_ID = "sitegen-serve-overlay";

  // location.reload() keeps the scroll position: browsers restore it on a reload by
  // themselves (the browser test checks it), so no bookkeeping is needed here.
  function reload() {
    location.reload();
  }

  function swapStylesheets(stylesheets) {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      var path = new URL(link.href, location.href).pathname;
      if (!Object.prototype.hasOwnProperty.call(stylesheets, path)) return;
      // Load the new sheet beside the old one and drop the old one when it is ready: no flash.
      var fresh = link.cloneNode(false);
      fresh.href = stylesheets[path];
      fresh.addEventListener("load", function () { link.remove(); });
      fresh.addEventListener("error", function () { link.remove(); });
      link.after(fresh);
    });
  }

  function hideOverlay() {
    var overlay = document.getElementById(OVERLAY_ID);
    if (overlay) overlay.remove();
  }

  // Every text goes in with textContent: an error message may quote the user's markup.
  function showOverlay(problems) {
    hideOverlay();
    var overlay = document.createElement("div");
    overlay.id = OVERLAY_ID;
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = [
      "position:fixed", "inset:0 0 auto 0", "z-index:2147483647", "max-height:60vh", "overflow:auto",
      "margin:0", "padding:1rem 1.25rem", "background:#2b0b0b", "color:#fff", "border-bottom:4px solid #e5484d",
      "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace", "box-shadow:0 4px 24px rgba(0,0,0,.4)"
    ].join(";");
    var heading = document.createElement("p");
    heading.style.cssText = "margin:0 0 .5rem;font-weight:bold";
    heading.textContent = "sitegen serve: the last edit did not build; showing the last good site.";
    overlay.appendChild(heading);
    var list = document.createElement("ul");
    list.style.cssText = "margin:0;padding:0;list-style:none";
    problems.forEach(function (problem) {
      var item = document.createElement("li");
      item.className = "sitegen-serve-problem";
      var where = document.createElement("strong");
      where.textContent = problem.where;
      item.appendChild(where);
      item.appendChild(document.createTextNode(": " + problem.message));
      list.appendChild(item);
    });
    overlay.appendChild(list);
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Dismiss";
    close.style.cssText = "margin-top:.75rem;font:inherit;cursor:pointer";
    close.addEventListener("click", hideOverlay);
    overlay.appendChild(close);
    document.body.appendChild(overlay);
  }

  function data(event) {
    try { return JSON.parse(event.data); } catch (ignored) { return {}; }
  }

  // The build this page came from, stamped on the script tag when the page was served.
  var script = document.currentScript;
  var seenBuild = script ? script.getAttribute("data-sitegen-build") : null;
  // The page shown is named so that a rebuild can write it before the rest of the site.
  var source = new EventSource("/__sitegen/events?page=" + encodeURIComponent(location.pathname));
  source.addEventListener("hello", function (event) {
    var build = data(event).build;
    if (seenBuild && build && build !== seenBuild) { reload(); return; }
    seenBuild = build || seenBuild;
  });
  source.addEventListener("reload", function () { reload(); });
  source.addEventListener("css", function (event) {
    var message = data(event);
    seenBuild = message.build || seenBuild;
    hideOverlay();
    swapStylesheets(message.stylesheets || {});
  });
  source.addEventListener("error", function (event) {
    // EventSource also fires a plain "error" Event when the connection drops; it has no data
    // and the browser reconnects by itself.
    if (typeof event.data !== "string") return;
    showOverlay(data(event).problems || []);
  });
})();
