"""Which files under content/ are read, which are published, and which are ignored: one rule
for the build's walk, the assets it copies, serve's watcher and the commands that add files.

An archive folder is often also an editor's vault or a repository: Obsidian keeps its settings
(plugin API tokens among them) in `.obsidian/`, git keeps remotes with credentials in `.git/`,
editors leave backups beside the file. None of that was meant for the web, so hidden files and
folders and editor or system leftovers are ignored everywhere, and of the rest only file types
that cannot run anything in a browser are published: a page or SVG served from the site's own
origin could run scripts with its cookies and storage.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

# The names ignored wherever they are: hidden files and folders (`.obsidian`, `.git`, `.trash`,
# `.x.md.swp`, `._x.md`, `.DS_Store`), editor backups (`x.md~`) and autosaves (`#x.md#`), and
# leftovers whose names are not hidden: Windows' thumbnail caches and folder settings, the folder
# macOS zip files carry resource forks in, and the icon file of a customized macOS folder. One
# regular expression: the walk matches every name of content/ against it, in C.
IGNORED_NAME = re.compile(r"\.|#.*#\Z|.*~\Z|(?:Thumbs\.db|ehthumbs\.db|desktop\.ini|__MACOSX|Icon\r)\Z", re.DOTALL)

PUBLISHED_TYPES = frozenset({
    ".avif", ".gif", ".jpeg", ".jpg", ".png", ".webp",  # images
    ".pdf",
    ".flac", ".m4a", ".mp3", ".oga", ".ogg", ".opus", ".wav",  # audio
    ".m4v", ".mp4", ".ogv", ".webm",  # video
})

# Types a browser runs or renders as a document at the site's origin when opened directly.
ACTIVE_TYPES = frozenset({".htm", ".html", ".js", ".mjs", ".shtml", ".svg", ".svgz", ".xht", ".xhtml", ".xml", ".xsl"})


def is_ignored(path: str) -> bool:
    """True when any part of `path` (slash-separated, relative to the project or to content/) is ignored."""
    return any(IGNORED_NAME.match(part) for part in path.split("/"))


def unpublished_reason(path: str) -> str | None:
    """Why a file of content/ that is not Markdown is not published, or None when it is."""
    suffix = PurePosixPath(path).suffix.lower()
    if path.endswith(".md"):  # the walk reads those of the collections, and passes only the others here
        return "not read: Markdown files are pages only in content/articles/, content/notes/ and content/entities/ (see docs/content.md)"
    if suffix in PUBLISHED_TYPES:
        return None
    if suffix in ACTIVE_TYPES:
        return f"not published: a {suffix} file can run scripts at the site's address (publish a PDF or an image of it instead)"
    return "not published: only images, PDF, audio and video files in content/ are (see docs/content.md)"
