// The search page: a small interface over Pagefind's JavaScript API, styled by the theme.
// The query and filters live in the URL (?q=iran&outlet=Newsweek) so a search can be shared.
// A hit inside a highlighted passage links straight to it (#note-<slug>): Pagefind only splits
// pages at headings, so passages are found here from the mark anchors and the
// `highlights` metadata (each passage's length) that article pages carry.
(function () {
  "use strict";
  var root = document.getElementById("search");
  if (!root) return;
  var form = root.querySelector(".search-form");
  var input = form.querySelector("#search-q");
  var status = root.querySelector(".search-status");
  var list = root.querySelector(".search-results");
  var more = root.querySelector(".search-more");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
  var FILTER_KEYS = ["kind", "outlet", "author", "tag", "year"];
  var KIND_LABELS = { article: "Article", note: "Note", entity: "Entity" };
  var PAGE_SIZE = 10;
  var RANK_WINDOW = 20; // results checked and ordered together before the first page shows
  var MAX_CHECKED = 50; // results loaded at most to fill one page, so a junk-only query stays cheap
  var MAX_METADATA_ONLY = 100; // pages matched only through metadata loaded for the facet counts
  var MAX_SUB_RESULTS = 3;
  // Pagefind also matches words in every data-pagefind-meta field. Only the title should find
  // a page: a note's article title, an article's highlight slugs or an image's alt text would
  // bring results whose excerpt shows no match. Fields weighted 0 add nothing to the score, and
  // such pages are left out of the list (splitMetadataOnly).
  // Titles are kept out of the indexed body (data-pagefind-ignore on the h1), so excerpts come
  // from the text and a title match counts through this weight instead.
  var RANKING = {
    termSimilarity: 20,
    metaWeights: {
      title: 8, article: 0, outlet: 0, highlights: 0, passage: 0, image: 0, image_alt: 0,
      date: 0, date_text: 0, entity_kind: 0,
    },
  };
  var pagefindPromise = null;
  var generation = 0;
  var running = null; // the search under way, if any
  var searchAgain = false; // the form changed while it ran
  var pauseTimer = null;
  var SHORT_QUERY = 3; // letters under which a typed Latin-script query waits for a pause
  var SHORT_PAUSE = 200;
  var queryTerms = [];
  var candidates = [];
  var metadataOnly = [];
  var metadataOnlyData = [];
  var ranked = [];
  var excluded = [];
  var checkedUpTo = 0; // candidates before this index have been loaded and checked
  var keptCount = 0;
  var loadedByUrl = new Map(); // every loaded result's data, so a passage can show its note
  var pagefindCounts = null; // Pagefind's pages per filter value for the current query
  var totalCounts = null; // pages per filter value on the whole site, once the filters are loaded

  // --- loading Pagefind -------------------------------------------------------------

  function loadPagefind() {
    if (!pagefindPromise) {
      pagefindPromise = (async function () {
        var url = new URL(root.dataset.pagefindUrl, document.baseURI).href;
        var pagefind = await import(url);
        await pagefind.options({ baseUrl: root.dataset.baseUrl, excerptLength: 24, ranking: RANKING });
        await mergeOtherLanguages(pagefind, url);
        return pagefind;
      })();
    }
    return pagefindPromise;
  }

  // Pagefind keeps one index per page language and searches only the one matching this
  // page's <html lang>. Articles in other languages are merged in so one query finds all.
  // The bundle is given as a full URL: mergeIndex skips a path equal to the primary bundle's
  // (it compares paths, the primary's without the origin) even when the language differs.
  async function mergeOtherLanguages(pagefind, pagefindUrl) {
    var bundle = new URL(".", pagefindUrl);
    var entry;
    try {
      entry = await (await fetch(new URL("pagefind-entry.json", bundle))).json();
    } catch (error) {
      return;
    }
    var languages = Object.keys(entry.languages || {});
    if (languages.length < 2) return;
    var primary = primaryLanguage(entry.languages);
    for (var i = 0; i < languages.length; i++) {
      if (languages[i] !== primary) {
        await pagefind.mergeIndex(bundle.href, { language: languages[i], baseUrl: root.dataset.baseUrl });
      }
    }
  }

  // The same choice Pagefind makes: the page's language, its base language, else the largest.
  function primaryLanguage(languages) {
    var lang = (document.documentElement.getAttribute("lang") || "unknown").toLowerCase();
    if (languages[lang]) return lang;
    if (languages[lang.split("-")[0]]) return lang.split("-")[0];
    return Object.keys(languages).sort(function (a, b) {
      return languages[b].page_count - languages[a].page_count;
    })[0];
  }

  // Filter values are listed only when the reader opens the filters: loading them fetches
  // every filter index (tens of KB on a large archive), which a plain query does not need.
  var filterOptionsPromise = null;
  function loadFilterOptions() {
    if (!filterOptionsPromise) {
      filterOptionsPromise = loadPagefind().then(fillFilterOptions).catch(function () {});
    }
    return filterOptionsPromise;
  }

  async function fillFilterOptions(pagefind) {
    var available = await pagefind.filters();
    totalCounts = available;
    selects.forEach(function (select) {
      var counts = available[select.dataset.filter] || {};
      var wanted = select.value;
      while (select.options.length > 1) select.remove(1);
      Object.keys(counts)
        .sort(function (a, b) { return select.dataset.filter === "year" ? b.localeCompare(a) : a.localeCompare(b); })
        .forEach(function (value) {
          var option = document.createElement("option");
          option.value = value;
          option.textContent = value + " (" + counts[value] + ")";
          select.appendChild(option);
        });
      if (wanted) select.value = wanted;
      select.disabled = Object.keys(counts).length === 0;
    });
    await refreshCounts(pagefind);
  }

  // Pagefind counts filter values only once their indexes are loaded, so the search run
  // before the filters were opened has none: ask again for the counts alone.
  async function refreshCounts(pagefind) {
    var current = generation;
    var state = formState();
    var filters = chosenFilters(state);
    if (!state.q && Object.keys(filters).length === 0) return showCounts();
    var search = await pagefind.search(searchTerm(state.q), { filters: filters });
    if (current !== generation || !search) return;
    pagefindCounts = search.filters || null;
    await showQueryCounts(current);
  }

  // The pages matched only through metadata are in Pagefind's counts but not in the list:
  // their filter values are loaded (they are few) so the counts can leave them out.
  async function showQueryCounts(current) {
    if (pagefindCounts && metadataOnly.length) {
      var datas = await Promise.all(metadataOnly.slice(0, MAX_METADATA_ONLY).map(function (result) { return result.data(); }));
      if (current !== generation) return;
      metadataOnlyData = datas;
    }
    showCounts();
  }

  // Pages per filter value among the listed results: Pagefind's counts for the query, less
  // every result the list leaves out (matched through metadata only, or checked and dropped).
  function listedCounts() {
    if (!pagefindCounts) return null;
    var counts = {};
    var listed = listedTotal() > 0;
    Object.keys(pagefindCounts).forEach(function (key) {
      counts[key] = {};
      Object.keys(pagefindCounts[key]).forEach(function (value) { counts[key][value] = listed ? pagefindCounts[key][value] : 0; });
    });
    if (!listed) return counts;
    excluded.concat(metadataOnlyData).forEach(function (data) {
      var filters = data.filters || {};
      Object.keys(filters).forEach(function (key) {
        (filters[key] || []).forEach(function (value) {
          if (counts[key] && counts[key][value] > 0) counts[key][value] -= 1;
        });
      });
    });
    return counts;
  }

  function chosenFilters(state) {
    var filters = {};
    FILTER_KEYS.forEach(function (key) { if (state[key]) filters[key] = state[key]; });
    return filters;
  }

  // Beside each facet value: how many listed results of the current query have it (with the
  // other chosen filters applied); without a search, the site's totals. Nothing is shown
  // before the filter indexes are loaded, as Pagefind has no counts until then.
  function showCounts() {
    var shownCounts = listedCounts() || totalCounts;
    if (!shownCounts) return;
    selects.forEach(function (select) {
      var counts = shownCounts[select.dataset.filter] || {};
      Array.prototype.forEach.call(select.options, function (option) {
        if (option.value) option.textContent = option.value + " (" + (counts[option.value] || 0) + ")";
      });
    });
    form.querySelectorAll("input[name=kind]").forEach(function (radio) {
      var label = radio.parentNode;
      var count = label.querySelector(".facet-count") || label.appendChild(el("span", "facet-count"));
      var kinds = shownCounts.kind || {};
      var total = Object.keys(kinds).reduce(function (sum, kind) { return sum + kinds[kind]; }, 0);
      count.textContent = " (" + (radio.value ? kinds[radio.value] || 0 : total) + ")";
    });
  }

  // --- state in the URL -------------------------------------------------------------

  function urlState() {
    var params = new URLSearchParams(location.search);
    var state = { q: params.get("q") || "" };
    FILTER_KEYS.forEach(function (key) { state[key] = params.get(key) || ""; });
    return state;
  }

  function formState() {
    var state = { q: input.value.trim() };
    var kind = form.querySelector("input[name=kind]:checked");
    state.kind = kind ? kind.value : "";
    selects.forEach(function (select) { state[select.dataset.filter] = select.value; });
    return state;
  }

  function showState(state) {
    input.value = state.q;
    var kind = form.querySelector('input[name=kind][value="' + (state.kind || "") + '"]');
    if (kind) kind.checked = true;
    selects.forEach(function (select) {
      var value = state[select.dataset.filter];
      if (value && !select.querySelector('option[value="' + CSS.escape(value) + '"]')) {
        var option = document.createElement("option");
        option.value = value;
        option.textContent = value;
        select.appendChild(option);
      }
      select.value = value || "";
    });
  }

  function writeUrl(state) {
    var params = new URLSearchParams();
    ["q"].concat(FILTER_KEYS).forEach(function (key) { if (state[key]) params.set(key, state[key]); });
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  // --- searching --------------------------------------------------------------------

  // A query's results are kept as three lists: `candidates`, Pagefind's results in its order
  // less those matched only through metadata; `ranked`, the checked candidates not yet shown,
  // best first; `excluded`, the loaded results left out (for the facet counts). The first
  // RANK_WINDOW kept candidates are checked before anything is shown (fewer when the first
  // page is all exact matches) and ordered together, so an exact-word match anywhere among them
  // comes before every stem-only one; candidates beyond the window are loaded a page at a time
  // when the reader asks for more.
  async function run() {
    var state = formState();
    writeUrl(state);
    var current = ++generation;
    var filters = chosenFilters(state);
    if (!state.q && Object.keys(filters).length === 0) {
      resetResults();
      showCounts();
      list.textContent = "";
      more.hidden = true;
      status.textContent = "";
      return;
    }
    root.setAttribute("aria-busy", "true");
    var pagefind;
    try {
      pagefind = await loadPagefind();
    } catch (error) {
      root.removeAttribute("aria-busy");
      showUnavailable();
      return;
    }
    var search = await pagefind.search(searchTerm(state.q), { filters: filters });
    if (current !== generation || !search) return;
    resetResults();
    var split = splitMetadataOnly(search.results);
    candidates = split.kept;
    metadataOnly = split.metadataOnly;
    queryTerms = terms(state.q);
    pagefindCounts = totalCounts ? search.filters || null : null;
    await rankNext(RANK_WINDOW);
    if (current !== generation) return;
    list.textContent = "";
    await showMore(false);
    await showQueryCounts(current);
    if (current !== generation) return;
    root.removeAttribute("aria-busy");
    status.textContent = describe(listedTotal(), state);
  }

  function resetResults() {
    candidates = [];
    metadataOnly = [];
    ranked = [];
    excluded = [];
    checkedUpTo = 0;
    keptCount = 0;
    pagefindCounts = null;
    metadataOnlyData = [];
    loadedByUrl = new Map();
  }

  // Pagefind folds "ß" to "ss" in the index but finds nothing for a query holding "ß".
  function searchTerm(query) {
    return query ? query.replace(/\u00df/g, "ss") : null;
  }

  // Pagefind also matches words in every data-pagefind-meta field (a note's article title, an
  // article's highlight slugs, an image's alt text). Such a page has no hit in its text and no
  // title match, so its excerpt would show nothing: it is left out, unless nothing else matches.
  function splitMetadataOnly(found) {
    var kept = [];
    var metaOnly = [];
    found.forEach(function (result) {
      var byTitle = (result.matchedMetaFields || []).indexOf("title") >= 0;
      (result.words.length || byTitle ? kept : metaOnly).push(result);
    });
    return kept.length ? { kept: kept, metadataOnly: metaOnly } : { kept: metaOnly, metadataOnly: [] };
  }

  // Load and check candidates until `wanted` more are kept (or MAX_CHECKED were looked at in
  // this call, so a query whose hits are all shortened terms stays cheap), then order the
  // newly kept ones exact matches first, Pagefind's order within each grade. Once a page's worth
  // of exact matches is kept, nothing loaded later could come before them: loading stops there
  // (the rest of the window is loaded, and ordered, when the reader asks for more).
  async function rankNext(wanted) {
    var current = generation;
    var fresh = [];
    var checked = 0;
    var exact = 0;
    while (fresh.length < wanted && exact < PAGE_SIZE && checkedUpTo < candidates.length && checked < MAX_CHECKED) {
      var batch = candidates.slice(checkedUpTo, checkedUpTo + Math.min(PAGE_SIZE, wanted - fresh.length));
      var datas = await Promise.all(batch.map(function (result) { return result.data(); }));
      if (current !== generation) return;
      checkedUpTo += batch.length;
      checked += batch.length;
      datas.forEach(function (data) {
        loadedByUrl.set(data.url, data);
        var grade = matchGrade(data, queryTerms);
        if (grade === NO_MATCH) excluded.push(data);
        else fresh.push({ data: data, grade: grade, order: fresh.length });
        if (grade === EXACT_MATCH) exact += 1;
      });
    }
    fresh.sort(function (a, b) { return b.grade - a.grade || a.order - b.order; });
    keptCount += fresh.length;
    ranked = ranked.concat(fresh);
  }

  // How many results the list holds: every candidate not found wanting so far. Nothing kept
  // among the first MAX_CHECKED means no results, not a count of matches that would all go.
  function listedTotal() {
    return keptCount ? candidates.length - excluded.length : 0;
  }

  function describe(count, state) {
    var text = count === 0 ? "No results" : count === 1 ? "1 result" : count + " results";
    if (state.q) text += " for \u201c" + state.q + "\u201d";
    var narrowed = [];
    if (state.kind) narrowed.push({ article: "articles", note: "notes", entity: "people and places" }[state.kind] || state.kind);
    ["outlet", "author", "tag", "year"].forEach(function (key) { if (state[key]) narrowed.push(key + " " + state[key]); });
    if (narrowed.length) text += " (" + narrowed.join(", ") + ")";
    return text + ".";
  }

  // Shows the next PAGE_SIZE ranked results, checking more candidates first when too few are left.
  async function showMore(focusFirst) {
    var current = generation;
    if (ranked.length < PAGE_SIZE && checkedUpTo < candidates.length) {
      await rankNext(PAGE_SIZE - ranked.length);
      if (current !== generation) return;
      status.textContent = describe(listedTotal(), formState());
      showCounts();
    }
    var page = ranked.slice(0, PAGE_SIZE);
    ranked = ranked.slice(PAGE_SIZE);
    var first = null;
    page.forEach(function (entry) {
      var item = renderResult(entry.data);
      first = first || item;
      list.appendChild(item);
    });
    more.hidden = !keptCount || (ranked.length === 0 && checkedUpTo >= candidates.length);
    if (focusFirst && first) first.querySelector("a").focus();
  }

  function showUnavailable() {
    status.textContent = "Search is not available: this copy of the site was built without its search index. ";
    var link = document.createElement("a");
    link.href = root.dataset.baseUrl + "articles/";
    link.textContent = "Browse all articles instead.";
    status.appendChild(link);
  }

  // --- whether a result's hits are the query's words -----------------------------------

  // When a query word is missing from one language's index, Pagefind shortens it until
  // something matches ("Lieferverkehr" becomes "lie" in the English index, "aid" becomes "a"
  // in the French one). Merged with the other languages, such hits would outrank nothing
  // but still fill the list with excerpts that do not show the word. A hit counts when it
  // shares most of a query word's letters from its start, which keeps stems (aid/aide,
  // Lastenrad/Lastenräder, dredgers/dredging) and drops shortened terms.
  function terms(query) {
    return (query || "").split(/\s+/).map(fold).filter(Boolean);
  }

  function fold(word) {
    return word.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/\u00df/g, "ss").replace(/[^\p{L}\p{N}]/gu, "");
  }

  var NO_MATCH = 0;
  var STEM_MATCH = 1;
  var EXACT_MATCH = 2;

  // A title-only match has no locations in the text, so the title's words are the hits then.
  function matchGrade(data, wanted) {
    if (!wanted.length) return EXACT_MATCH;
    if (wanted.some(function (term) { return /[^\u0000-\u024f]/.test(term); })) return EXACT_MATCH;
    var words = (data.content || "").split(/\s+/);
    var hits = (data.locations || []).map(function (location) { return fold(words[location] || ""); });
    if (!hits.length) hits = ((data.meta || {}).title || "").split(/\s+/).map(fold);
    if (hits.some(function (hit) { return wanted.indexOf(hit) >= 0; })) return EXACT_MATCH;
    return hits.some(function (hit) { return wanted.some(function (term) { return stemOf(hit, term); }); }) ? STEM_MATCH : NO_MATCH;
  }

  function stemOf(hit, term) {
    return sharedStart(hit, term) >= Math.max(Math.min(3, term.length), Math.ceil(0.6 * term.length));
  }

  // A page found by its title alone has no hit in its excerpt: the title's matching words are
  // marked instead, so every result shows why it was found.
  function markTitle(target, title, wanted) {
    title.split(/(\s+)/).forEach(function (part) {
      var folded = fold(part);
      var hit = folded && wanted.some(function (term) { return stemOf(folded, term); });
      target.appendChild(hit ? el("mark", "", part) : document.createTextNode(part));
    });
  }

  function sharedStart(a, b) {
    var i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
    return i;
  }

  // --- one result -------------------------------------------------------------------

  function renderResult(data) {
    var meta = data.meta || {};
    var filters = data.filters || {};
    var kind = (filters.kind || [])[0] || "";
    var item = el("li", "search-result search-result-" + (kind || "page"));

    if (meta.image) {
      var image = el("img", "search-thumb");
      image.src = meta.image;
      image.alt = meta.image_alt || "";
      image.loading = "lazy";
      item.appendChild(image);
    }
    item.appendChild(el("p", "kicker", kind === "entity" && meta.entity_kind ? meta.entity_kind : KIND_LABELS[kind] || "Page"));
    var heading = el("h2", "search-result-title");
    var link = el("a", "");
    markTitle(link, meta.title || data.url, data.locations && data.locations.length ? [] : queryTerms);
    link.href = data.url;
    heading.appendChild(link);
    item.appendChild(heading);

    var facts = [];
    if (kind === "note" && meta.article) facts.push("on " + meta.article);
    if ((filters.outlet || []).length) facts.push(filters.outlet.join(", "));
    if ((filters.author || []).length) facts.push(filters.author.join(", "));
    if (meta.date_text) facts.push(meta.date_text);
    if (facts.length) item.appendChild(el("p", "item-meta", facts.join(" \u00b7 ")));

    var excerpt = el("p", "excerpt");
    setExcerpt(excerpt, data.excerpt);
    item.appendChild(excerpt);

    var subs = subResults(data, kind, meta);
    if (subs.length) {
      var sublist = el("ul", "sub");
      subs.forEach(function (sub) {
        var li = el("li", "sub-result" + (sub.passage ? " sub-passage" : ""));
        var subLink = el("a", "", sub.title);
        subLink.href = sub.url;
        li.appendChild(subLink);
        if (sub.excerpt) {
          li.appendChild(document.createTextNode(" "));
          li.appendChild(sub.excerpt);
        }
        if (sub.noteUrl) li.appendChild(renderNote(sub.noteUrl));
        sublist.appendChild(li);
      });
      item.appendChild(sublist);
    }
    return item;
  }

  // The note written on a highlighted passage that holds a hit: its title and excerpt when the
  // note is among the loaded results (it is when its quote holds the query's words), else a
  // plain link to it.
  function renderNote(url) {
    var note = loadedByUrl.get(url);
    var block = el("p", "sub-note");
    block.appendChild(document.createTextNode("Note: "));
    var link = el("a", "", note ? (note.meta || {}).title || "Read the note" : "Read the note");
    link.href = url;
    block.appendChild(link);
    if (note && note.excerpt) {
      var excerpt = el("span", "sub-excerpt");
      setExcerpt(excerpt, note.excerpt);
      block.appendChild(document.createTextNode(" "));
      block.appendChild(excerpt);
    }
    return block;
  }

  // Pagefind's excerpts are escaped text with <mark>s. Rebuild them from an inert parse keeping
  // only text and <mark>, so nothing in an indexed page can ever become live markup here.
  // Quote marks are made typographic on the way, so an article's straight quotes and a note's
  // curly ones (copied from a browser) read the same.
  function setExcerpt(target, html) {
    var parsed = new DOMParser().parseFromString("<body>" + withoutRepeat(html || ""), "text/html").body;
    var before = "";
    parsed.childNodes.forEach(function (node) {
      var text = curlyQuotes(node.textContent, before);
      before = text.slice(-1) || before;
      if (node.nodeType === Node.ELEMENT_NODE && node.tagName === "MARK") {
        target.appendChild(el("mark", "", text));
      } else {
        target.appendChild(document.createTextNode(text));
      }
    });
  }

  // A page that says the same words twice close together (an entity's alias line, then its
  // description naming the alias) would show them twice in a 24-word excerpt: the excerpt is
  // cut before the second saying of REPEAT_RUN words, if a marked hit is left before it.
  // Pagefind's excerpt is its words joined by spaces, a hit wrapped whole in <mark>.
  var REPEAT_RUN = 4;
  function withoutRepeat(html) {
    var tokens = html.split(" ");
    var words = tokens.map(function (token) { return fold(token.replace(/<[^>]*>/g, "")); });
    var seen = new Set();
    for (var j = 0; j + REPEAT_RUN <= words.length; j++) {
      var run = words.slice(j, j + REPEAT_RUN);
      if (run.some(function (word) { return !word; })) continue;
      var key = run.join(" ");
      if (seen.has(key)) {
        var kept = tokens.slice(0, j).join(" ");
        return /<mark>/.test(kept) ? kept + " \u2026" : html;
      }
      seen.add(key);
    }
    return html;
  }

  // A straight quote opens after a space, an opening bracket or dash, or at the start; else it
  // closes (for ' that is also the apostrophe). `before` is the character preceding `text`.
  function curlyQuotes(text, before) {
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var ch = text[i];
      var previous = i > 0 ? text[i - 1] : before;
      var opens = !previous || /[\s(\[{\u2014\u2013\u201c\u2018-]/.test(previous);
      if (ch === '"') out += opens ? "\u201c" : "\u201d";
      else if (ch === "'") out += opens ? "\u2018" : "\u2019";
      else out += ch;
    }
    return out;
  }

  function subResults(data, kind, meta) {
    if (kind === "note") {
      return meta.passage ? [{ title: "Go to the highlighted passage", url: meta.passage, passage: true }] : [];
    }
    var subs = passageHits(data);
    (data.sub_results || []).forEach(function (sub) {
      if (sub.anchor && /^h[1-6]$/i.test(sub.anchor.element) && sub.url !== data.url) {
        var excerpt = el("span", "sub-excerpt");
        setExcerpt(excerpt, sub.excerpt);
        subs.push({ title: sub.title, url: sub.url, excerpt: excerpt });
      }
    });
    return subs.slice(0, MAX_SUB_RESULTS);
  }

  // Highlighted passages of an article that contain a hit, innermost passage first.
  function passageHits(data) {
    var lengths = parseHighlights((data.meta || {}).highlights);
    if (!data.content || !data.anchors || !data.locations) return [];
    var words = data.content.split(/\s+/);
    var ranges = [];
    data.anchors.forEach(function (anchor) {
      var slug = anchor.id && anchor.id.indexOf("note-") === 0 ? anchor.id.slice(5) : null;
      if (anchor.element !== "mark" || !slug || !(slug in lengths)) return;
      ranges.push({ id: anchor.id, start: anchor.location, end: wordsSpanning(words, anchor.location, lengths[slug]) });
    });
    var hitsByRange = new Map();
    data.locations.forEach(function (location) {
      var inner = null;
      ranges.forEach(function (range) {
        if (location >= range.start && location < range.end && (!inner || range.start >= inner.start)) inner = range;
      });
      if (!inner) return;
      if (!hitsByRange.has(inner)) hitsByRange.set(inner, []);
      hitsByRange.get(inner).push(location);
    });
    var subs = [];
    hitsByRange.forEach(function (hits, range) {
      subs.push({
        title: "Highlighted passage",
        url: data.url + "#" + range.id,
        excerpt: passageExcerpt(words, range, hits),
        passage: true,
        noteUrl: root.dataset.baseUrl + "notes/" + range.id.slice("note-".length) + "/",
        order: range.start,
      });
    });
    return subs.sort(function (a, b) { return a.order - b.order; });
  }

  // "slug=chars slug=chars" -> {slug: chars}; chars is the passage's length in the article text.
  function parseHighlights(value) {
    var lengths = {};
    (value || "").split(/\s+/).forEach(function (pair) {
      var cut = pair.lastIndexOf("=");
      if (cut > 0) lengths[pair.slice(0, cut)] = parseInt(pair.slice(cut + 1), 10) || 0;
    });
    return lengths;
  }

  // The index one past the last word of a passage of `chars` characters starting at word `start`.
  function wordsSpanning(words, start, chars) {
    var end = start;
    var covered = 0;
    while (end < words.length && covered < chars) {
      covered += words[end].length + 1;
      end += 1;
    }
    return Math.max(end, start + 1);
  }

  function passageExcerpt(words, range, hits) {
    var from = Math.max(range.start, hits[0] - 8);
    var to = Math.min(range.end, from + 24);
    var hitSet = new Set(hits);
    var span = el("span", "sub-excerpt");
    span.appendChild(document.createTextNode(from > range.start ? "\u2026" : "\u201c"));
    for (var i = from; i < to; i++) {
      if (i > from) span.appendChild(document.createTextNode(" "));
      if (hitSet.has(i)) span.appendChild(el("mark", "", words[i]));
      else span.appendChild(document.createTextNode(words[i]));
    }
    span.appendChild(document.createTextNode(to < range.end ? "\u2026" : "\u201d"));
    return span;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // --- wiring -----------------------------------------------------------------------

  // One or two Latin letters match most of a large archive and load the biggest index chunks,
  // only to be overtaken by the next keystroke: such a query is searched once typing pauses.
  // An empty query (clearing the results) and a short one in another script (two Chinese
  // characters are a word) are searched at once.
  function isShortQuery(value) {
    var query = value.trim();
    return query.length > 0 && query.length < SHORT_QUERY && !/[^\u0000-\u024f]/.test(query);
  }

  // Every keystroke searches at once, with no typing pause waited for, so the results follow
  // the last keystroke by one search. A keystroke during a search makes that search stop at its
  // next step (before it loads any result's text) and one search for the newest query follows:
  // never more than one runs, however fast the typing.
  function searchNow() {
    if (running) {
      searchAgain = true;
      generation += 1;
      return;
    }
    running = run().finally(function () {
      running = null;
      if (searchAgain) {
        searchAgain = false;
        searchNow();
      }
    });
  }

  form.hidden = false;
  showState(urlState());
  var details = form.querySelector(".search-filters");
  details.addEventListener("toggle", function () { if (details.open) loadFilterOptions(); });
  if (selects.some(function (select) { return select.value; })) details.open = true;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(pauseTimer);
    searchNow();
  });
  input.addEventListener("input", function () {
    clearTimeout(pauseTimer);
    if (isShortQuery(input.value)) pauseTimer = setTimeout(searchNow, SHORT_PAUSE);
    else searchNow();
  });
  form.addEventListener("change", function (event) {
    if (event.target !== input) searchNow();
  });
  form.addEventListener("reset", function () {
    setTimeout(function () {
      input.value = "";
      searchNow();
      input.focus();
    });
  });
  more.addEventListener("click", function () {
    if (more.disabled) return;
    more.disabled = true;
    showMore(true).finally(function () { more.disabled = false; });
  });
  if (input.value || FILTER_KEYS.some(function (key) { return urlState()[key]; })) searchNow();
  else input.focus();
})();
