"""Bring a reading archive from elsewhere: articles by URL, and read-later services' exports with their highlights.

`sitegen import URL...` and `sitegen import --from FORMAT FILE...` land here (see docs/import.md). The pieces,
one concern each: `records` (the frozen Entry and Highlight every export is read into), `services/` (one
reader per export format), `fetch` (HTTP with limits), `archive` (what the archive holds already, and writing
an article with its notes as one unit), `notes` (a highlight becomes a note only if its quote anchors),
`run` (parallel fetches, progress, the summary and the failures file).
"""
