"""The whole build, stage by stage. Read this file to see the flow.

    load -> parse -> render -> anchor -> link -> emit (compose + pages) -> write -> index -> swap

Each stage is one call whose result is a named value; every problem of a stage is
collected and raised together as one SiteError, so the site is written only when the
archive is sound. Pages are rendered and written on both cores on large archives.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from generator.anchor import anchor_notes
from generator.config import Config, load_config, with_overrides
from generator.content.load import load_content
from generator.content.parse import parse_archive
from generator.emit.bodies import ComposedBodies
from generator.emit.citations import citation_globals, citation_pages
from generator.emit.feeds import feed_pages
from generator.emit.jsonld import jsonld_globals
from generator.emit.pages import PageJob, SiteData, page_jobs, prepare_environment
from generator.emit.sitemap import sitemap_pages
from generator.emit.static import content_assets, pages_files, theme_assets
from generator.errors import Problem, ProblemLog, SiteError
from generator.graph import LinkGraph, build_graph
from generator.markdown.render import render_body
from generator.records import Anchor, Archive, Page, RenderedBody, SourceFile
from generator.search import index_site
from generator.theme import make_environment, template_problem
from generator.workers import run_shared, worker_count
from generator.fingerprint import build_fingerprint, setup_fingerprint
from generator.incremental import LastBuild, document_hashes, load_last_build, page_keys, save_last_build
from generator.write import check_output_dir, discard, output_fingerprint, reuse_page, staging_dir, swap_in, write_pages

DocKey = tuple[str, str]


@dataclass(frozen=True, slots=True)
class BuildResult:
    pages: int
    warnings: tuple[Problem, ...]
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    up_to_date: bool = False  # nothing changed since the build in the output folder: nothing was done


class StageTimer:
    """Wall-clock seconds per stage, shown by `--verbose`."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self.started = self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = now - self.last
        self.last = now


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
) -> BuildResult:
    """Build the archive at `root` into `out` (default root/site); `write=False` checks only.

    `search=False` (or `search: false` in sitegen.yaml) skips the search index; `jobs`
    sets the number of processes (default: one per core on large archives). When the
    output was built from exactly the same inputs, nothing is done unless `force`.
    """
    timer = StageTimer()
    config = with_overrides(load_config(root), base_url_override=base_url)
    out = out or root / "site"
    if write:
        check_output_dir(root, out)
    content = load_content(root)
    timer.lap("load")
    setup = setup_fingerprint(root, config, search=search)
    fingerprint = build_fingerprint(setup, content)
    last = load_last_build(root) if write and not force else None
    if last is not None and last.site != output_fingerprint(out):
        last = None  # the output folder is no longer what that build wrote
    if last is not None and last.site == fingerprint:
        return BuildResult(0, last.warnings, time.perf_counter() - timer.started, timer.timings, up_to_date=True)
    analysis = analyse(root, config, timer, content=content)
    site = emit_site(root, analysis)
    timer.lap("emit")
    count = len(site.jobs) + len(site.pages)
    if not write:
        render_pages(site, None, jobs=1)
        timer.lap("render pages")
        return BuildResult(count, analysis.warnings, time.perf_counter() - timer.started, timer.timings)
    keys = page_keys(analysis, document_hashes(content[0]), setup) if not (root / "templates").is_dir() else {}
    reuse = Reuse(out, last, keys) if last is not None and last.setup == setup else None
    staging = staging_dir(out)
    try:
        count = render_pages(site, staging, jobs=jobs, progress=progress, reuse=reuse)
        timer.lap("write")
        if search and analysis.config.search:
            index_site(staging, analysis.config)
            timer.lap("index")
        swap_in(staging, out, fingerprint, files=count)
    except BaseException:
        discard(staging)
        raise
    save_last_build(root, LastBuild(setup, fingerprint, analysis.warnings, keys))
    timer.lap("swap")
    return BuildResult(count, analysis.warnings, time.perf_counter() - timer.started, timer.timings)


@dataclass(frozen=True, slots=True)
class Analysis:
    """The archive understood: records, rendered bodies, anchors and the link graph."""

    config: Config
    archive: Archive
    bodies: dict[DocKey, RenderedBody]
    anchors: dict[str, Anchor]  # by note slug
    graph: LinkGraph
    assets: tuple[tuple[str, bytes], ...]  # content files that are not Markdown: (path, bytes)
    warnings: tuple[Problem, ...]


def analyse(
    root: Path,
    config: Config,
    timer: StageTimer | None = None,
    content: tuple[tuple[SourceFile, ...], tuple[tuple[str, bytes], ...]] | None = None,
) -> Analysis:
    """Every stage before output: load, parse, render, anchor, link. Used by build, check, export."""
    timer = timer or StageTimer()
    if content is None:
        content = load_content(root)
        timer.lap("load")
    sources, assets = content
    archive = parse_archive(sources)
    timer.lap("parse")
    bodies = render_bodies(archive, config)
    timer.lap("render")
    log = ProblemLog()
    articles_by_slug = {a.slug: a for a in archive.articles}
    anchors = anchor_notes(archive.notes, articles_by_slug, article_texts(bodies), config.fuzzy_threshold, log)
    timer.lap("anchor")
    graph = build_graph(archive, bodies, config, log)
    log.raise_errors()
    timer.lap("link")
    return Analysis(config, archive, bodies, {a.note: a for a in anchors}, graph, assets, tuple(sorted(log.warnings)))


def render_bodies(archive: Archive, config: Config) -> dict[DocKey, RenderedBody]:
    """Markdown to RenderedBody for every document.

    This stays in one process: sending rendered bodies back from workers costs more
    than rendering them (measured in docs/decisions.md).
    """
    bodies = {}
    for article in archive.articles:
        figures = tuple(image.after_paragraph for image in article.images)
        bodies[("article", article.slug)] = render_body(article.body, article.body_line, allow_html=config.allow_html, figures_after=figures)
    for kind, records in (("note", archive.notes), ("entity", archive.entities)):
        for record in records:
            bodies[(kind, record.slug)] = render_body(record.body, record.body_line, allow_html=config.allow_html)
    return bodies


def article_texts(bodies: dict[DocKey, RenderedBody]) -> dict[str, RenderedBody]:
    return {slug: body for (kind, slug), body in bodies.items() if kind == "article"}


@dataclass(frozen=True, slots=True)
class EmittedSite:
    """The output, not yet rendered: page jobs (HTML) and ready files (feeds, assets, ...)."""

    jobs: list[PageJob]
    pages: list[Page]
    root: Path


def emit_site(root: Path, analysis: Analysis) -> EmittedSite:
    """Every output file; template mistakes become SiteErrors at the template's line."""
    config, archive, graph = analysis.config, analysis.archive, analysis.graph
    env = make_environment(root, config)
    static_pages, asset_urls = theme_assets(root, config)
    site = SiteData(
        config=config,
        archive=archive,
        bodies=analysis.bodies,
        anchors=analysis.anchors,
        graph=graph,
        assets=asset_urls,
        articles_by_slug={a.slug: a for a in archive.articles},
        notes_by_slug={n.slug: n for n in archive.notes},
        entities_by_slug={e.slug: e for e in archive.entities},
    )
    try:
        prepare_environment(env, site)
        env.globals.update(citation_globals(config) | jsonld_globals(config))
        html = ComposedBodies(archive, analysis.bodies, analysis.anchors, graph, env)
        jobs = page_jobs(site, html, env)
        publishing = feed_pages(site, html, env) + citation_pages(config, archive) + sitemap_pages(config, archive, jobs)
    except jinja2.TemplateError as error:
        raise SiteError([template_problem(error, root)]) from None
    files = static_pages + content_assets(analysis.assets) + pages_files(config) + publishing
    return EmittedSite(jobs, files, root)


@dataclass(frozen=True, slots=True)
class Reuse:
    """Pages of the previous output that may be reused: their keys still match."""

    out: Path
    last: LastBuild
    keys: dict[str, str]

    def unchanged(self, path: str) -> bool:
        return self.last.reusable(path, self.keys.get(path))


def render_pages(
    site: EmittedSite, staging: Path | None, jobs: int | None = None, progress: bool = False, reuse: Reuse | None = None
) -> int:
    """Render every page job and write it with the ready files into `staging` (None: render only).

    With `reuse`, a page whose key is unchanged is taken from the previous output instead.
    """

    def write_share(part: int, parts: int) -> int:
        shown = progress and part == 0 and sys.stderr.isatty()
        share = site.jobs[part::parts]
        if reuse is not None and staging is not None:
            kept = {job.path for job in share if reuse.unchanged(job.path) and reuse_page(reuse.out, staging, job.path)}
            share = [job for job in share if job.path not in kept]
        else:
            kept = set()
        try:
            pages = (_rendered(job, index, len(share), shown) for index, job in enumerate(share))
            written = len(kept) + (write_pages(staging, pages) if staging else sum(1 for _ in pages))
        except jinja2.TemplateError as error:
            raise SiteError([template_problem(error, site.root)]) from None
        if part == 0:
            written += write_pages(staging, site.pages) if staging else len(site.pages)
        return written

    return sum(run_shared(write_share, worker_count(len(site.jobs), jobs)))


def _rendered(job: PageJob, index: int, total: int, shown: bool) -> Page:
    if shown and (index % 200 == 0 or index == total - 1):
        print(f"\rrendering pages {100 * (index + 1) // total:3d}%", end="" if index < total - 1 else "\n", file=sys.stderr)
    return job.render()
