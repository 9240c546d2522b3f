"""The theme's environment is Jinja's own; what sitegen adds to it must write what the
templates wrote without it."""

from __future__ import annotations

import jinja2

from generator.emit.pages import names
from generator.records import Author


def test_the_names_filter_writes_what_map_and_join_wrote():
    env = jinja2.Environment(autoescape=True)
    env.filters["names"] = names
    people = [Author("Ann <Lee>", "ann"), Author("Bo & Co", "bo"), Author("Cy 'O'", "cy")]
    for group in (people, people[:1], []):
        assert env.from_string("{{ people | names }}").render(people=group) == env.from_string("{{ people | map(attribute='name') | join(', ') }}").render(people=group)
