"""Bring a reading archive from elsewhere: articles by URL, and read-later services' exports with their highlights.

`sitegen import URL...` and `sitegen import --from FORMAT FILE...` land here (see docs/import.md). The pieces,
one concern each: `command` (the command line's side), `records` (the frozen Entry and Highlight every export
is read into), `services/` (one reader per export format), `fetch` (HTTP with limits), `known` (what the
archive holds already, by URL), `notes` (a highlight becomes a note only if its quote anchors), `archive`
(writing an article with its notes as one unit), `run` (parallel fetches, progress, the summary and the
failures file).
"""
