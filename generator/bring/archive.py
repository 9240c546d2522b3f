"""Writing an article with its notes as one unit.

The article first, then its notes, each file whole (temporary file, then a link that never
replaces another file), with Ctrl-C held back until the unit is done; if a file cannot be written, the
unit's files already written are removed. So the archive never holds a note without its article, half a
file, or an article missing notes the import meant to give it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.bring.notes import PlannedNote, note_file_text
from generator.content.load import slugs_in
from generator.quicknote import create_unique
from generator.workers import interrupts_held


@dataclass(frozen=True)
class SlugsTaken:
    """The slugs of the article and note folders, subfolders included (a slug taken there would fail
    the next build as a duplicate): listed once per run, then kept up to date as files are written."""

    articles: set[str]
    notes: set[str]

    @classmethod
    def of(cls, root: Path, articles: Path) -> SlugsTaken:
        return cls(set(slugs_in(articles)), set(slugs_in(root / "content" / "notes")))


def write_together(root: Path, articles: Path, slug: str, article_text: str, notes: list[PlannedNote], taken: SlugsTaken) -> tuple[Path, list[Path]]:
    """Write the article (`slug`.md, or -2 … when taken), then its notes; all of them or, when the disk
    refuses one, none."""
    notes_dir = root / "content" / "notes"
    written: list[Path] = []
    with interrupts_held():  # Ctrl-C takes effect once the unit is written whole
        try:
            articles.mkdir(parents=True, exist_ok=True)
            article_path = create_unique(articles, slug, article_text, taken.articles)
            written.append(article_path)
            if notes:
                notes_dir.mkdir(parents=True, exist_ok=True)
            for note in notes:
                written.append(create_unique(notes_dir, note.base, note_file_text(article_path.stem, note), taken.notes))
        except OSError:
            for path in reversed(written):
                path.unlink(missing_ok=True)
            raise
    taken.articles.add(written[0].stem.lower())
    taken.notes.update(path.stem.lower() for path in written[1:])
    return written[0], written[1:]


def relative(path: Path | str, root: Path) -> str:
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return str(path)

