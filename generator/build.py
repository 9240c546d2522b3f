"""The whole build, stage by stage. Read this file to see the flow.

    load -> parse -> render -> anchor -> link -> compose -> emit -> write -> index

Each stage is one call whose result is a named value; every problem of a stage is
collected and raised together as one SiteError, so the site is written only when the
archive is sound.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from generator.anchor import anchor_notes
from generator.config import Config, load_config, with_overrides
from generator.content.load import load_content
from generator.content.parse import parse_archive
from generator.emit.bodies import compose_bodies
from generator.emit.citations import citation_globals, citation_pages
from generator.emit.feeds import feed_pages
from generator.emit.jsonld import jsonld_globals
from generator.emit.pages import SiteData, emit_pages, prepare_environment
from generator.emit.sitemap import sitemap_pages
from generator.emit.static import content_assets, pages_files, theme_assets
from generator.errors import Problem, ProblemLog, SiteError
from generator.graph import LinkGraph, build_graph
from generator.markdown.render import render_body
from generator.records import Anchor, Archive, Page, RenderedBody
from generator.search import index_site
from generator.theme import make_environment, template_problem
from generator.write import check_output_dir, discard, staging_dir, swap_in, write_pages


@dataclass(frozen=True, slots=True)
class BuildResult:
    pages: int
    warnings: tuple[Problem, ...]
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)


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
    root: Path, *, out: Path | None = None, base_url: str | None = None, write: bool = True, search: bool = True
) -> BuildResult:
    """Build the archive at `root` into `out` (default root/site); `write=False` checks only.

    `search=False` (or `search: false` in sitegen.yaml) skips the search index.
    """
    timer = StageTimer()
    config = with_overrides(load_config(root), base_url_override=base_url)
    out = out or root / "site"
    if write:
        check_output_dir(root, out)
    analysis = analyse(root, config, timer)
    pages = emit_site(root, analysis)
    timer.lap("emit")
    count = len(pages)
    if write:
        staging = staging_dir(out)
        try:
            count = write_pages(staging, pages)
            timer.lap("write")
            if search and analysis.config.search:
                index_site(staging, analysis.config)
                timer.lap("index")
            swap_in(staging, out)
        except BaseException:
            discard(staging)
            raise
        timer.lap("swap")
    return BuildResult(count, analysis.warnings, time.perf_counter() - timer.started, timer.timings)


@dataclass(frozen=True, slots=True)
class Analysis:
    """The archive understood: records, rendered bodies, anchors and the link graph."""

    config: Config
    archive: Archive
    bodies: dict[tuple[str, str], RenderedBody]
    anchors: dict[str, Anchor]  # by note slug
    graph: LinkGraph
    assets: tuple[tuple[str, bytes], ...]  # content files that are not Markdown: (path, bytes)
    warnings: tuple[Problem, ...]


def analyse(root: Path, config: Config, timer: StageTimer | None = None) -> Analysis:
    """Every stage before output: load, parse, render, anchor, link. Used by build, check, export."""
    timer = timer or StageTimer()
    sources, assets = load_content(root)
    timer.lap("load")
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


def render_bodies(archive: Archive, config: Config) -> dict[tuple[str, str], RenderedBody]:
    bodies = {}
    for article in archive.articles:
        figures = tuple(image.after_paragraph for image in article.images)
        bodies[("article", article.slug)] = render_body(article.body, article.body_line, allow_html=config.allow_html, figures_after=figures)
    for kind, records in (("note", archive.notes), ("entity", archive.entities)):
        for record in records:
            bodies[(kind, record.slug)] = render_body(record.body, record.body_line, allow_html=config.allow_html)
    return bodies


def article_texts(bodies: dict[tuple[str, str], RenderedBody]) -> dict[str, RenderedBody]:
    return {slug: body for (kind, slug), body in bodies.items() if kind == "article"}


def emit_site(root: Path, analysis: Analysis) -> list[Page]:
    """All output files; template mistakes become SiteErrors at the template's line."""
    config, archive, bodies, anchors, graph = analysis.config, analysis.archive, analysis.bodies, analysis.anchors, analysis.graph
    env = make_environment(root, config)
    static_pages, asset_urls = theme_assets(root, config)
    try:
        site = SiteData(
            config=config,
            archive=archive,
            bodies=bodies,
            anchors=anchors,
            graph=graph,
            assets=asset_urls,
            articles_by_slug={a.slug: a for a in archive.articles},
            notes_by_slug={n.slug: n for n in archive.notes},
            entities_by_slug={e.slug: e for e in archive.entities},
        )
        prepare_environment(env, site)
        env.globals.update(citation_globals(config) | jsonld_globals(config))
        html = compose_bodies(archive, bodies, anchors, graph, env)
        pages = list(emit_pages(site, html, env))
    except jinja2.TemplateError as error:
        raise SiteError([template_problem(error, root)]) from None
    publishing = feed_pages(site, html, env) + citation_pages(config, archive) + sitemap_pages(config, archive, pages)
    return pages + static_pages + content_assets(analysis.assets) + pages_files(config) + publishing
