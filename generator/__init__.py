"""sitegen: a static site generator for an annotated reading archive."""

__version__ = "0.1.0"
