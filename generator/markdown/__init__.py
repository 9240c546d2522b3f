"""Markdown rendering: markdown-it-py with sitegen's plugins, producing RenderedBody pieces."""
