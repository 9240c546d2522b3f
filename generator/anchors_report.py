"""`sitegen anchors`: how every note's quote anchors, and what changed since the last look.

After an article is re-imported or edited, the reader needs to see which highlights
moved, which became approximate and which were lost. The last report is kept in
.sitegen-cache/anchors.json (safe to delete) and compared with the current one.
"""

from __future__ import annotations

import json
from pathlib import Path

from generator.anchor import FUZZY, NONE, ORPHAN, anchored_text
from generator.build import Analysis

SNAPSHOT = Path(".sitegen-cache") / "anchors.json"


def anchor_lines(analysis: Analysis, previous: dict[str, dict]) -> tuple[list[str], dict[str, dict]]:
    """One line per note (tier, location, article, change), and the snapshot to keep."""
    lines = []
    snapshot: dict[str, dict] = {}
    articles = analysis.archive.article_of
    for note in analysis.archive.notes:
        anchor = analysis.anchors.get(note.slug)
        if anchor is None or anchor.tier == NONE:
            continue
        text = anchored_text(anchor, analysis.bodies[("article", anchor.article)].text, articles[anchor.article])
        passage = text[anchor.start : anchor.end] if anchor.tier != ORPHAN else ""
        current = {"tier": anchor.tier, "start": anchor.start, "passage": passage}
        snapshot[note.slug] = current
        tier = f"fuzzy {anchor.similarity:.0f}%" if anchor.tier == FUZZY else anchor.tier
        change = describe_change(previous.get(note.slug), current)
        location = f"{note.loc.path}:{note.quote_line}"
        lines.append(f"{tier:<11} {location:<48} {anchor.article}{'  [' + change + ']' if change else ''}")
    return lines, snapshot


def describe_change(before: dict | None, now: dict) -> str:
    if before is None:
        return "new"
    if before["tier"] != now["tier"]:
        if now["tier"] == ORPHAN:
            return "lost"
        return f"was {before['tier']}, now {now['tier']}"
    if now["tier"] != ORPHAN and (before["start"] != now["start"] or before["passage"] != now["passage"]):
        return "moved" if before["passage"] == now["passage"] else "passage changed"
    return ""


def anchor_report(root: Path, analysis: Analysis) -> list[str]:
    """The report's lines and a closing summary; updates the snapshot."""
    path = root / SNAPSHOT
    try:
        previous = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        previous = {}
    lines, snapshot = anchor_lines(analysis, previous)
    counts: dict[str, int] = {}
    for entry in snapshot.values():
        counts[entry["tier"]] = counts.get(entry["tier"], 0) + 1
    changed = sum(1 for line in lines if line.endswith("]") and "[new]" not in line)
    summary = ", ".join(f"{counts[tier]} {tier}" for tier in ("exact", "normalized", "fuzzy", "orphan") if counts.get(tier))
    lines.append(f"{len(snapshot)} highlights: {summary or 'none'}; {changed} changed since the last report")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(snapshot, indent=1, sort_keys=True, ensure_ascii=False), encoding="utf-8")
    return lines
