"""The whole build, stage by stage. Read this file to see the flow.

    load -> parse + render -> anchor -> link -> emit (compose + pages) -> write -> index -> swap

Each stage is one call whose result is a named value; every problem of a stage is
collected and raised together as one SiteError, so the site is written only when the
archive is sound. Work is skipped where the last build already did it: files whose
results are in the document cache (documents.py) are not parsed or rendered again, and
pages whose key is unchanged (incremental.py) are not rendered again; only changed
files are then written into the existing site (`write_site`). Parsing, rendering and
page writing run on both cores on large archives.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import itertools
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator.analysis_cache import ResultLost, discard_analysis, load_analysis, save_analysis
from generator.anchor import anchor_notes
from generator.config import Config, read_config, with_overrides
from generator.documents import (
    DocumentCache,
    ScannedFile,
    cache_settings,
    load_cache,
    process_sound_documents,
    save_cache,
    scan_content,
    with_digests,
)
from generator.emit.bodies import ComposedBodies
from generator.emit.citations import (
    BIBLIOGRAPHY_FILES,
    citation_globals,
    citation_pages,
)
from generator.emit.feeds import ARTICLES_FEED, NOTES_FEED, feed_pages
from generator.emit.jsonld import jsonld_globals
from generator.emit.pages import PageJob, SiteData, page_jobs, prepare_environment
from generator.emit.sitemap import ROBOTS, SITEMAP, path_only_warning, sitemap_pages
from generator.emit.static import content_assets, pages_files, theme_assets
from generator.errors import Problem, ProblemLog, SiteError
from generator.fingerprint import (
    build_fingerprint,
    output_setup,
    setup_fingerprint,
    template_digests,
)
from generator.graph import build_graph
from generator.image_files import content_path, image_files, is_remote, with_image_files
from generator.incremental import (
    KeyedPages,
    LastBuild,
    document_hashes,
    load_last_build,
    page_keys,
    save_last_build,
    unkeyed_templates,
    with_templates,
)
from generator.lock import build_lock
from generator.memo import Memo
from generator.note_edits import analysis_after_note_edits
from generator.records import Analysis, Archive, Page, RenderedBody
from generator.search import index_site
from generator.theme import make_environment, static_files, template_errors, theme_dir
from generator.workers import Background, Progress, Pull, run_shared, worker_count
from generator.write import (
    apply_patch,
    check_complete,
    check_output_dir,
    discard,
    in_output,
    output_fingerprint,
    replace_folder,
    seal_output,
    staging_dir,
    swap_in,
    write_pages,
)

DocKey = tuple[str, str]


@dataclass(frozen=True, slots=True)
class BuildResult:
    pages: int
    warnings: tuple[Problem, ...]
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    up_to_date: bool = False  # nothing changed since the build in the output folder: nothing was done
    search_files: int = 0  # the files of the search index written (pagefind/), which `pages` does not count


class StageTimer:
    """Wall-clock seconds per stage, shown by `--verbose`."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self.started = self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = now - self.last
        self.last = now

    def seconds(self) -> float:
        """Since the build started."""
        return time.perf_counter() - self.started


def holding_build_lock(run: Callable[..., BuildResult]) -> Callable[..., BuildResult]:
    """`run` (a build) holding the archive's build lock (lock.py) when it writes: from its
    up-to-date check to its record, no other build writes the output folder or the caches."""

    @functools.wraps(run)
    def locked(root: Path, **options) -> BuildResult:
        if not options.get("write", True):
            return run(root, **options)
        with build_lock(root):
            return run(root, **options)

    return locked


@dataclass(frozen=True, slots=True)
class ServeState:
    """What `serve` keeps between its builds, and what its watcher and tabs tell the next one.

    `documents`: the per-document results, in memory (a command-line build loads them from
    .sitegen-cache/ and saves them there, with the last analysis: analysis_cache.py). `memo`:
    the later stages' results (memo.py). `changed`: the files changed since the last build
    (from the watcher), so that content/ is not walked again. `first`: pages to bring up to
    date before all others (those the open tabs show)."""

    documents: DocumentCache
    memo: Memo
    changed: set[str] | None = None
    first: FirstPages | None = None

    def documents_for(self, root: Path, config: Config) -> DocumentCache:
        """The documents kept, emptied of what another config or code made (DocumentCache.match)."""
        self.documents.match(cache_settings(root, config))
        return self.documents


@holding_build_lock
def build(
    root: Path,
    *,
    out: Path | None = None,
    base_url: str | None = None,
    write: bool = True,
    search: bool = True,
    jobs: int | None = None,
    progress: bool = False,
    force: bool = False,
    serving: ServeState | None = None,
) -> BuildResult:
    """Build the archive at `root` into `out` (default root/site); `write=False` checks only.

    `search=False` (or `search: false` in sitegen.yaml) skips the search index; `jobs` sets
    the number of processes (default: one per core on large archives). When the output was
    built from exactly the same inputs, nothing is done unless `force`. `serving`: what serve
    keeps between builds (ServeState).
    """
    timer = StageTimer()
    config = with_overrides(sound_config(root), base_url_override=base_url)
    out = out or root / "site"
    if write:
        check_output_dir(root, out)
    cache = load_cache(root, config) if serving is None else serving.documents_for(root, config)
    content = scan_content(root, cache, serving.changed if serving else None, leave_unread=serving is None)
    timer.lap("load")
    pages_setup = output_setup(root, config, search=search)
    setup = setup_fingerprint(root, config, pages_setup)
    fingerprint = inputs_fingerprint(setup, content, cache)
    last = last_build(root, out) if write and not force else None
    if last is not None and last.site == fingerprint:
        return BuildResult(0, last.warnings, timer.seconds(), timer.timings, up_to_date=True)
    memo = serving.memo if serving else load_analysis(root, cache) if write else None
    saving = CacheSaving(root, cache, jobs, timer) if write and serving is None else None
    analysis = analysed(root, config, content, cache, memo, saving, timer, jobs=jobs, progress=progress)
    if serving is None and memo is not None:  # a command-line build: the memo ends with it
        memo.drop_results()
    if fingerprint is None:  # files were read while analysing: they have their digests now
        content = (with_digests(content[0], cache), content[1])
        fingerprint = build_fingerprint(setup, *content, cache.unpublished)
    hashes = with_image_files(document_hashes(content[0]), analysis.archive.articles, image_files(analysis.archive.articles, analysis.assets))
    warnings = tuple(sorted(analysis.warnings + missing_images(analysis) + cache.unpublished + path_only_warning(config)))
    del content  # the texts of every file, parsed by now and as large as the archive, which the page workers need not share
    if not write:
        site = emit_site(root, analysis)
        timer.lap("emit")
        render_pages(site, None, jobs=1)
        timer.lap("render pages")
        return BuildResult(site.count(), warnings, timer.seconds(), timer.timings)
    patching = last if last is not None and last.setup == pages_setup else None
    pages = PagePlan(root, analysis, hashes, pages_setup, unkeyed_templates(template_digests(root, config)), memo, timer)
    with saving.meanwhile() if saving is not None else contextlib.nullcontext():
        if serving is not None and serving.first is not None and patching is not None:
            write_first(emit_site(root, analysis, compiled_cache=True, only=serving.first.paths), out, serving.first, patching)
            timer.lap("first pages")
        site = emit_site(root, analysis, compiled_cache=True, remake=pages.to_remake(patching))
        gc.freeze()  # the page jobs too; the render workers forked next then leave the frozen pages shared
        timer.lap("emit")
        keys = pages.keys(site, save=cache if serving is None else None)
        previous = Previous(out, patching, keys.now()) if patching is not None else None
        # Else every page is rendered: the keys are made while the other workers start on them.
        search_files = write_site(
            site, out, fingerprint, previous, search=search and analysis.config.search, jobs=jobs, progress=progress, timer=timer,
            meanwhile=keys.make if previous is None else None,
        )
    save_last_build(root, out, LastBuild(pages_setup, fingerprint, warnings, {path: keys.now().get(path, "") for path in site.paths()}))
    timer.lap("swap")
    return BuildResult(site.count(), warnings, timer.seconds(), timer.timings, search_files=search_files)


def inputs_fingerprint(setup: str, content: tuple[tuple[ScannedFile, ...], tuple[tuple[str, bytes], ...]], cache: DocumentCache) -> str | None:
    """The fingerprint of what this build is made from (fingerprint.py); None while files new
    to the cache are unread or a file cannot be read: the output cannot be up to date then."""
    if cache.unreadable or any(file.digest is None for file in content[0]):
        return None
    return build_fingerprint(setup, *content, cache.unpublished)


def last_build(root: Path, out: Path) -> LastBuild | None:
    """The record of the build that wrote the output folder, if the folder still holds what it wrote."""
    last = load_last_build(root, out)
    return last if last is not None and last.site == output_fingerprint(out) else None


def analysed(
    root: Path,
    config: Config,
    content: tuple[tuple[ScannedFile, ...], tuple[tuple[str, bytes], ...]],
    cache: DocumentCache,
    memo: Memo | None,
    saving: CacheSaving | None,
    timer: StageTimer,
    *,
    jobs: int | None,
    progress: bool,
) -> Analysis:
    """The archive analysed: from the last analysis when only notes were edited in place
    (note_edits.py), else by every stage (`analyse`). `saving` saves the document cache as
    soon as the documents are processed, and also after errors: the files that were sound
    need no work next time."""
    try:
        try:
            analysis = analysis_after_note_edits(root, config, *content, cache, memo) if memo is not None else None
        except ResultLost:  # a shard of the document cache found damaged only now (and dropped): made again below
            analysis = None
        if analysis is not None:
            timer.lap("analyse edited notes")
            return analysis
        processed = saving.start if saving is not None else None
        return analyse(root, config, timer, content=content, cache=cache, jobs=jobs, progress=progress, memo=memo, processed=processed)
    except BaseException as error:
        if saving is not None:
            saving.finish()
            discard_analysis(root)
        if isinstance(error, SiteError):  # with the config's warning too: all there is to mend
            raise SiteError(error.problems, error.warnings + path_only_warning(config)) from None
        raise


class PagePlan:
    """Which pages a build renders: each page's key (incremental.py) and, when the output holds
    the last build, only the pages whose keys changed. The memo keeps the keys for the next
    build; a command-line build saves them on disk with its analysis."""

    def __init__(self, root: Path, analysis: Analysis, hashes: dict[DocKey, str], setup: str, digests: dict[str, str], memo: Memo | None, timer: StageTimer) -> None:
        self.root, self.analysis, self.hashes, self.setup, self.digests, self.memo, self.timer = root, analysis, hashes, setup, digests, memo, timer
        self.shown: KeyedPages | None = None

    def to_remake(self, last: LastBuild | None) -> Remake | None:
        """The pages to render again when patching the output that `last` recorded (None: all)."""
        if last is None:
            return None
        self.shown = keys_of_shown(self.analysis, self.hashes, self.setup, self.memo)
        remake = pages_to_remake(self.shown, self.memo.page_keys if self.memo is not None else None, self.digests, last)
        self.timer.lap("page keys")
        return remake

    def keys(self, site: EmittedSite, save: DocumentCache | None) -> PageKeys:
        return PageKeys(self, site, save)


class PageKeys:
    """Every page's key, made once, when first asked for: at once when patching (the keys pick
    the pages to render), else while the worker processes render their first pages."""

    def __init__(self, plan: PagePlan, site: EmittedSite, save: DocumentCache | None) -> None:
        self.plan, self.site, self.save = plan, site, save
        self.made: dict[str, str] | None = None

    def make(self) -> None:
        self.now()

    def now(self) -> dict[str, str]:
        if self.made is None:
            plan = self.plan
            self.made = keys_of_pages(plan.analysis, self.site, plan.hashes, plan.setup, plan.digests, plan.memo, plan.shown)
            plan.timer.lap("page keys" if plan.shown is None else "templates in page keys")
            if self.save is not None and plan.memo is not None:
                save_analysis(plan.root, plan.memo, self.save)
                plan.timer.lap("save analysis")
        return self.made


def sound_config(root: Path) -> Config:
    """The archive's config; when sitegen.yaml has mistakes, a SiteError with them and every
    problem of the archive checked with the defaults in their place (read_config): one run
    lists them all, and nothing is written or cached with a config the reader did not write."""
    log = ProblemLog()
    config = read_config(root, log)
    try:
        theme_dir(root, config)
    except SiteError as error:  # the bundled theme in its place, to check the rest
        log.absorb(error)
        config = dataclasses.replace(config, theme=Config().theme)
    if log.errors:
        try:
            analyse(root, config)
        except SiteError as error:
            log.absorb(error)
        log.raise_errors()
    return config


class CacheSaving:
    """The document cache (documents.py), saved while the build goes on: in a forked process
    when many results are new (a cold build, where saving them all is long), started as soon as the
    documents are processed, so that it runs on the core that anchoring and linking leave idle;
    else at once. Should the process fail, the cache is saved here again, which reports why."""

    def __init__(self, root: Path, cache: DocumentCache, jobs: int | None, timer: StageTimer) -> None:
        self.root, self.cache, self.jobs, self.timer = root, cache, jobs, timer
        self.started = False
        self.saving: Background | None = None

    def start(self) -> None:
        if self.started:
            return
        self.started = True
        if worker_count(self.cache.pending(), self.jobs) > 1:
            self.saving = Background(lambda: save_cache(self.root, self.cache))
        else:
            save_cache(self.root, self.cache)
            self.timer.lap("save cache")

    def finish(self) -> None:
        """Wait for the saving process, or save here (also when it was never started)."""
        if self.saving is None:
            save_cache(self.root, self.cache)
            return
        saving, self.saving = self.saving, None
        if saving.succeeded():
            self.cache.dirty.clear()
        else:
            save_cache(self.root, self.cache)
        self.timer.lap("save cache (what was left to wait)")

    @contextlib.contextmanager
    def meanwhile(self) -> Iterator[None]:
        """Saving during the block (started now if analysing processed no documents), waited for at its end."""
        self.start()
        try:
            yield
        finally:
            self.finish()


def keys_of_pages(
    analysis: Analysis,
    site: EmittedSite,
    hashes: dict[DocKey, str],
    pages_setup: str,
    digests: dict[str, str],
    memo: Memo | None,
    shown: KeyedPages | None = None,
) -> dict[str, str]:
    """Each page's key: what it shows (`shown`, else made here) and the templates it is
    rendered with (incremental.py); the memo keeps these keys for the next build.

    A page whose key from what it shows is the last one's, with the same templates, keeps its
    last key (with_templates): the site's jobs need only name the templates of the others.
    """
    last = memo.page_keys if memo is not None else None
    if shown is None:
        shown = keys_of_shown(analysis, hashes, pages_setup, memo)
    keyed = with_templates(shown, {job.path: job.template for job in site.jobs}, digests, last)
    if memo is not None:
        memo.page_keys, memo.keyed, memo.touched = keyed, analysis, None
    return keyed.combined


def keys_of_shown(analysis: Analysis, hashes: dict[DocKey, str], pages_setup: str, memo: Memo | None) -> KeyedPages:
    """Each page's key from what it shows (incremental.page_keys). With the last build's keys
    in the memo (kept by serve, or on disk with the analysis), only the keys that read a
    changed document are computed again."""
    last = memo.page_keys if memo is not None else None
    touched = memo.touched if memo is not None else None
    if touched is not None:  # the notes edited: an image file may have changed meanwhile, which no note edit tells
        touched = touched | {("article", article.slug) for article in analysis.archive.articles if any(image.src and not is_remote(image.src) for image in article.images)}
    return page_keys(analysis, hashes, pages_setup, last, touched)


def pages_to_remake(shown: KeyedPages, last: KeyedPages | None, digests: dict[str, str], record: LastBuild) -> Remake | None:
    """The pages that may differ from the output folder's, when the site has the same pages
    as the build whose keys are `last`, with the same templates: those whose keys from what
    they show changed since, and those the output holds in another version than that build's
    (the notes edited since it, or an output written by another build).

    A note edited in place changes a handful of the 11,000 pages of a 5,000-article archive;
    making a job for every page only to find each unchanged would cost in proportion to the archive, not the edit.
    None (make every job) when the sitemap may change, which lists every page.
    """
    if last is None or last.templates != digests or shown.keys.keys() != last.keys.keys():
        return None
    recorded, combined = record.keys, last.combined
    paths = frozenset(path for path, key in shown.keys.items() if last.keys[path] != key or recorded.get(path) != combined[path])
    if SITEMAP in paths or ROBOTS in paths:
        return None
    return Remake(paths, frozenset(combined.keys() - paths))


def analyse(
    root: Path,
    config: Config,
    timer: StageTimer | None = None,
    *,
    content: tuple[tuple[ScannedFile, ...], tuple[tuple[str, bytes], ...]] | None = None,
    cache: DocumentCache | None = None,
    jobs: int | None = None,
    progress: bool = False,
    memo: Memo | None = None,
    processed: Callable[[], None] | None = None,
) -> Analysis:
    """Every stage before output: load, parse, render, anchor, link. Used by build, check, export.

    Parsing, rendering and finding entity mentions work only on files whose results are
    not in `cache` (an empty one by default), on both cores when there are many; anchoring
    and linking reuse what `memo` holds from the last build. `processed` is called once
    every document is parsed and rendered, before anchoring (build: starts saving `cache`).
    """
    timer = timer or StageTimer()
    memo = memo if memo is not None else Memo()
    memo.analysis = None  # from here it no longer matches the document cache, until this one is made
    memo.touched = None  # any document may change
    memo.saved = None  # nor is it made from the analysis on disk
    cache = cache if cache is not None else DocumentCache(cache_settings(root, config))
    if content is None:
        content = scan_content(root, cache)
        timer.lap("load")
    files, assets = content
    log = ProblemLog()
    log.errors.extend(cache.unreadable)
    archive, bodies, mentions, unsound = process_sound_documents(root, files, cache, config, log, jobs, progress)
    timer.lap("parse and render")
    if processed is not None:
        processed()
    if log.errors:  # the sound documents are anchored and linked for their own problems, all raised at the end
        memo = Memo()  # a throwaway: the results of a partial archive are for no later build
    for article in archive.articles:
        for line, message in article.unknown:
            log.warn(article.loc.at_line(line), message)
    assets = published_assets(assets, archive)
    notes = tuple(note for note in archive.notes if ("article", note.article) not in unsound)  # their article's problems are reported
    anchors = anchor_notes(notes, archive.article_of, article_texts(bodies), config.fuzzy_threshold, log, memo)
    timer.lap("anchor")
    graph = build_graph(archive, bodies, config, log, mentions, memo, unsound)
    memo.settle()
    if log.errors:  # with the warnings of content/'s walk: all there is to mend, in one run
        raise SiteError(log.errors, (*log.warnings, *cache.unpublished))
    timer.lap("link")
    memo.analysis = Analysis(config, archive, bodies, {a.note: a for a in anchors}, graph, assets, tuple(sorted(log.warnings)))
    memo.paths = tuple(file.path for file in files)
    gc.freeze()  # as the document cache (documents.unpickle_lasting): it lives to the end of the build, and full collections would walk it
    return memo.analysis


def published_assets(assets: tuple[tuple[str, bytes], ...], archive: Archive) -> tuple[tuple[str, bytes], ...]:
    """The files of content/ to copy, without those only uncredited images show: an image is
    published once the reader has credited it, and its file with it."""
    withheld = {content_path(src) for article in archive.articles for src in article.withheld}
    if not withheld:
        return assets
    shown = {content_path(image.src) for article in archive.articles for image in article.images if image.src}
    return tuple((path, data) for path, data in assets if path not in withheld - shown)


def missing_images(analysis: Analysis) -> tuple[Problem, ...]:
    """Images whose `src` names a file that content/ does not hold: their pages would show a
    broken image. Made on every build from the analysis and the files of content/, which every
    build reads again (an image added later clears it, whatever else the build reuses)."""
    present = image_files(analysis.archive.articles, analysis.assets)  # as the pages see them (their notice)
    return tuple(
        Problem(article.loc.at_line(image.line), f"image src '{image.src}' is not a file in content/")
        for article in analysis.archive.articles
        for image in article.images
        if image.src and not is_remote(image.src) and content_path(image.src) not in present
    )


def article_texts(bodies: dict[DocKey, RenderedBody]) -> dict[str, RenderedBody]:
    return {slug: body for (kind, slug), body in bodies.items() if kind == "article"}


@dataclass(frozen=True, slots=True)
class Remake:
    """A build patching the output: the rendered files to make again (`paths`), and the
    others, `kept` as the last build made them (pages_to_remake)."""

    paths: frozenset[str]
    kept: frozenset[str]


@dataclass(frozen=True, slots=True)
class EmittedSite:
    """The output, not yet rendered: jobs (pages, feeds, sitemap, bibliographies) and ready
    files (assets, ...); and the rendered files `kept` from the last build, which have no job."""

    jobs: list[PageJob]
    pages: list[Page]
    root: Path
    config: Config
    kept: frozenset[str] = frozenset()

    def paths(self) -> set[str]:
        return {job.path for job in self.jobs} | {page.path for page in self.pages} | self.kept

    def count(self) -> int:
        """The files of the site: rendered now, copied, and kept from the last build."""
        return len(self.jobs) + len(self.pages) + len(self.kept)


def emit_site(
    root: Path, analysis: Analysis, *, compiled_cache: bool = False, only: frozenset[str] | None = None, remake: Remake | None = None
) -> EmittedSite:
    """Every output file; template mistakes become SiteErrors at the template's line.

    `compiled_cache` keeps compiled templates in .sitegen-cache/ (see make_environment).
    With `only`, just the HTML pages whose files it names (see FirstPages); with `remake`,
    jobs only for the files it names to make again, and every ready file."""
    config, archive, graph = analysis.config, analysis.archive, analysis.graph
    env = make_environment(root, config, compiled_cache=compiled_cache)
    static_pages, asset_urls = theme_assets(static_files(root, config), config)
    site = SiteData(analysis, asset_urls)
    with template_errors(root):
        prepare_environment(env, site)
        env.globals.update(citation_globals(config) | jsonld_globals(config))
        html = ComposedBodies(archive, analysis.bodies, analysis.anchors, graph, env)
        pages = page_jobs(site, html, env, only if remake is None else remake.paths)
    if only is not None:
        return EmittedSite(pages, [], root, config)
    publishing = (
        made_together(lambda: feed_pages(site, html, env), (ARTICLES_FEED, NOTES_FEED))
        + made_together(lambda: citation_pages(config, archive), tuple(BIBLIOGRAPHY_FILES.values()))
        + made_together(lambda: sitemap_pages(config, archive, [job.path for job in pages]), (SITEMAP, ROBOTS) if config.origin else (ROBOTS,))  # `pages`: every page (pages_to_remake)
    )
    generated = {job.path for job in pages + publishing} | {page.path for page in static_pages + pages_files(config)}
    generated |= remake.kept if remake is not None else set()
    if remake is not None:
        publishing = [job for job in publishing if job.path in remake.paths]
    files = static_pages + content_assets(analysis.assets, generated) + pages_files(config)
    return EmittedSite(sorted(pages + publishing, key=_rendered_late), files, root, config, remake.kept if remake is not None else frozenset())


def _rendered_late(job: PageJob) -> bool:
    """True for the page of an article or a note: nearly every page, each quickly made. The
    processes take jobs a chunk at a time, in order; when all the others (indexes, lists,
    feeds, bibliographies, each far longer than an article's page) come first,
    the last chunks are alike and short, and both processes finish together."""
    return job.template in ("article.html", "note.html")


def made_together(make: Callable[[], list[Page]], paths: tuple[str, ...]) -> list[PageJob]:
    """Files that one call makes together, as jobs (so they get keys and are made only when
    needed); the call runs once per process, when the first of them is rendered."""
    made = functools.cache(lambda: {page.path: page for page in make()})

    def page(path: str) -> Callable[[], Page]:
        return lambda: made()[path]

    return [PageJob(path, page(path)) for path in paths]


@dataclass(frozen=True, slots=True)
class FirstPages:
    """Pages to bring up to date before the rest of a rebuild, so that the tabs showing them
    can reload at once (serve). `shown` is told, once they are in the output folder, which
    pages the rebuild may still change."""

    paths: frozenset[str]
    shown: Callable[[frozenset[str]], None]


def write_first(first_site: EmittedSite, out: Path, first: FirstPages, last: LastBuild) -> None:
    """Render the pages of `first_site` (the pages of `first` only) now and move those that
    changed over their old versions; the pages the rebuild may still change are every other
    page of the last build (a new one is missing until then).

    The rest of the rebuild renders them again if their keys changed (a few pages)
    and seals the output; until then the output's marker is blank (see apply_patch).
    """
    if not first_site.jobs:
        return
    with template_errors(first_site.root):
        pages = [job.render() for job in first_site.jobs]
    changed = [page for page in pages if not same_file(out, page)]
    if changed:
        staging = staging_dir(out)
        try:
            apply_patch(staging, out, write_pages(staging, changed), [])
        finally:
            discard(staging)
    first.shown(last.pages() - first.paths)


def same_file(out: Path, page: Page) -> bool:
    """True when the output folder already holds exactly this page."""
    try:
        return (out / page.path).read_bytes() == page.data
    except OSError:
        return False


def write_site(
    site: EmittedSite,
    out: Path,
    fingerprint: str,
    previous: Previous | None,
    *,
    search: bool,
    jobs: int | None,
    progress: bool,
    timer: StageTimer,
    meanwhile: Callable[[], None] | None = None,
) -> int:
    """Write the site whole into a staging folder and swap it in; or, when the output holds
    the previous build, write only what changed and move each file over its old version.
    `meanwhile` runs in this process while the worker processes render their first pages.
    Returns the number of files in the search index (0 without one), for the build's summary."""
    staging = staging_dir(out)
    try:
        written = render_pages(site, staging, jobs=jobs, progress=progress, previous=previous, meanwhile=meanwhile)
        timer.lap("write")
        if previous is None:
            check_complete(staging, out, written)
            index = index_site(staging, site.config) if search else None
            if search:
                timer.lap("index")
            swap_in(staging, out, fingerprint, files=len(written))
            return index.files if index is not None else 0
        apply_patch(staging, out, written, previous.removed(site))
        index = index_site(out, site.config, bundle=staging / "pagefind") if search else None
        if search:
            replace_folder(staging / "pagefind", out / "pagefind")
            timer.lap("index")
        seal_output(out, fingerprint)
        discard(staging)
        return index.files if index is not None else 0
    except OSError as error:
        discard(staging)
        raise in_output(error, staging, out) from None
    except BaseException:
        discard(staging)
        raise


@dataclass(frozen=True, slots=True)
class Previous:
    """The site in the output folder and the record of the build that wrote it.

    A page whose key is the one recorded is not rendered again; a ready file (asset,
    theme file, ...) identical to the one there is not written again.
    """

    out: Path
    last: LastBuild
    keys: dict[str, str]

    def changed(self, jobs: list[PageJob]) -> list[PageJob]:
        """The jobs whose pages have no key, or another key than the one recorded."""
        keys, recorded = self.keys, self.last.keys
        return [job for job in jobs if (key := keys.get(job.path)) is None or recorded.get(job.path) != key]

    def removed(self, site: EmittedSite) -> list[str]:
        """Files of the previous build that this build no longer makes."""
        current = site.paths()
        return sorted(path for path in self.last.keys if path not in current)


def render_pages(
    site: EmittedSite,
    staging: Path | None,
    jobs: int | None = None,
    progress: bool = False,
    previous: Previous | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> list[str]:
    """Render the page jobs and write them with the ready files into `staging` (None: render only).

    With `previous`, only what changed is rendered and written. Returns the paths written.
    The processes take the pages a chunk at a time, so this one may first run `meanwhile`.
    """
    todo = site.jobs if previous is None else previous.changed(site.jobs)
    ready = site.pages if previous is None else [page for page in site.pages if not same_file(previous.out, page)]
    pull = Pull(len(todo))

    def write_share(part: int, parts: int) -> list[str]:
        shown = Progress("rendering pages", pull.total, progress and part == 0 and sys.stderr.isatty())
        share: Iterable[PageJob | Page] = itertools.chain((todo[index] for index in pull.indices()), ready if part == 0 else ())
        with template_errors(site.root):
            pages = (_rendered(item, pull, shown) for item in share)
            return write_pages(staging, pages) if staging else [page.path for page in pages]

    return [path for paths in run_shared(write_share, worker_count(len(todo), jobs), meanwhile) for path in paths]


def _rendered(item: PageJob | Page, pull: Pull, shown: Progress) -> Page:
    shown.show(pull.taken())
    return item if isinstance(item, Page) else item.render()
