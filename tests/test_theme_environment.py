"""SiteContext calls plain functions and macros directly, SiteTemplate writes outputs as plain
text: what templates make must not change."""

from __future__ import annotations

import functools

import jinja2
import markupsafe
import pytest
from jinja2.runtime import Context
from markupsafe import Markup

from generator.emit.pages import names
from generator.records import Author
from generator.theme import SiteContext, SiteTemplate


class _ContextTaking:
    @jinja2.pass_context
    def __call__(self, context, suffix=""):
        return f"{context.get('x', 'none')}{suffix}"


def _stop():
    raise StopIteration


@functools.cache
@jinja2.pass_context
def _cached_context_taking(context):
    return context.get("x", "none")


GLOBALS = {
    "plain": lambda a, b="-": f"{a}{b}",
    "cached": functools.cache(lambda a: a * 2),
    "takes_context": jinja2.pass_context(lambda context, s="": f"{context.get('x', 'none')}{s}"),
    "takes_env": jinja2.pass_environment(lambda environment: type(environment).__name__),
    "takes_eval": jinja2.pass_eval_context(lambda eval_ctx: str(eval_ctx.autoescape)),
    "callable_object": _ContextTaking(),
    "cached_context_taking": _cached_context_taking,
    "stops": _stop,
    "builtin": len,
}

TEMPLATES = [
    "{{ plain(1) }} {{ plain('a', b='<b>') }} {{ cached(21) }} {{ builtin('abc') }}",
    "{% for x in [1, 2] %}{{ takes_context('!') }}{{ callable_object('?') }}{{ cached_context_taking() }}{% endfor %}",
    "{% set x = 'block' %}{{ takes_context() }}",
    "{{ takes_env() }} {{ takes_eval() }} [{{ stops() }}]",
    "{% macro m(a, b=2) %}{{ a }}{{ b }}{{ caller() if caller else '' }}{% endmacro %}{{ m(1) }}{{ m(1, b=3) }}{% call m('c') %}inside{% endcall %}",
    "{% macro outer() %}{% for x in 'yz' %}{{ takes_context() }}{{ plain(x) }}{% endfor %}{% endmacro %}{{ outer() }}",
    "{% for item in [3, 4] %}{{ loop.cycle('odd', 'even') }}{{ plain(item, b=loop.index) }}{% endfor %}",
]


def _environment(context_class: type[Context]) -> jinja2.Environment:
    env = jinja2.Environment(autoescape=True)
    env.context_class = context_class
    env.globals.update(GLOBALS)
    return env


@pytest.mark.parametrize("source", TEMPLATES)
def test_templates_render_as_with_jinjas_own_context(source):
    assert _environment(SiteContext).from_string(source).render() == _environment(Context).from_string(source).render()


def test_plain_functions_and_macros_skip_jinjas_call_but_marked_ones_do_not(monkeypatch):
    stock_calls: list[object] = []
    stock = Context.call

    def counted(self, obj, *args, **kwargs):
        stock_calls.append(obj)
        return stock(self, obj, *args, **kwargs)

    monkeypatch.setattr(Context, "call", counted)
    env = _environment(SiteContext)
    env.from_string("{% macro m() %}m{% endmacro %}{{ plain(1) }}{{ cached(2) }}{{ m() }}").render()
    assert stock_calls == []
    env.from_string("{{ takes_context() }}{{ cached_context_taking() }}{{ callable_object() }}{{ builtin('a') }}").render()
    assert stock_calls == [GLOBALS["takes_context"], GLOBALS["cached_context_taking"], GLOBALS["callable_object"], len]


class _HasHtml:
    def __html__(self):
        return "<em>already safe</em>"


ESCAPED = [
    "{{ text }}|{{ safe }}|{{ number }}|{{ html_object }}|{{ none }}|{{ missing }}",
    "{% macro m(x) %}<{{ x }}>{% endmacro %}{% macro c(x) %}{{ x }}[{{ caller() }}]{% endmacro %}"
    "{{ m(text) }}{{ m(safe) | length }}{% call c(number) %}{{ text }}{% endcall %}",
    "{% set block %}{{ text }}{{ safe }}{% endset %}{{ block }}|{{ block | length }}|{{ text | e }}|{{ text ~ safe }}",
    "{% autoescape false %}{{ text }}{% endautoescape %}{% autoescape true %}{{ text }}{% endautoescape %}",
    "{% filter upper %}{{ text }}{% endfilter %}{{ [text, safe] | join(',') }}{{ text | safe }}",
    "{% for x in [text, safe, 7] %}{{ x }}{{ loop.index }}{% endfor %}{{ '%s' | format(text) }}",
]
VALUES = {"text": "<a href=\"x\">'&'</a>", "safe": Markup("<b>bold</b>"), "number": 4.5, "html_object": _HasHtml(), "none": None}


@pytest.mark.parametrize("source", ESCAPED)
def test_outputs_are_escaped_as_with_jinjas_own_template(source):
    def render(template_class):
        env = jinja2.Environment(autoescape=True)
        env.template_class = template_class
        return env.from_string(source).render(VALUES)

    assert render(SiteTemplate) == render(jinja2.Template)


def test_outputs_of_strings_are_not_wrapped_in_markup():
    """Else SiteTemplate would change nothing: the compiled module's `escape` is rebound (to one
    that gives a str where markupsafe has its `_escape_inner`, as every 3.0 release has)."""
    env = jinja2.Environment(autoescape=True)
    env.template_class = SiteTemplate
    pieces = list(env.from_string("{{ text }}{{ safe }}").generate(VALUES))
    assert [type(piece) for piece in pieces] == [str if hasattr(markupsafe, "_escape_inner") else Markup, Markup]


def test_the_names_filter_writes_what_map_and_join_wrote():
    env = jinja2.Environment(autoescape=True)
    env.template_class = SiteTemplate
    env.filters["names"] = names
    people = [Author("Ann <Lee>", "ann"), Author("Bo & Co", "bo"), Author("Cy 'O'", "cy")]
    for group in (people, people[:1], []):
        assert env.from_string("{{ people | names }}").render(people=group) == env.from_string("{{ people | map(attribute='name') | join(', ') }}").render(people=group)
