"""The Jinja2 environment for the few templates that render many times per page.

Django templates draw every page; a comment thread repeats one piece of markup once per comment,
and there Jinja2 renders the same HTML many times faster (docs/benchmarks.md). Templates live in
each app's ``jinja2/`` folder and are rendered through ``masthead.core.jinja.render``.
"""

import datetime

from django.template import engines
from django.utils import dateformat, timezone
from django.utils.dates import MONTHS
from jinja2 import Environment


def environment(**options) -> Environment:
    env = Environment(autoescape=options.pop("autoescape", True), **options)
    env.filters["date"] = date
    env.filters["pluralize"] = pluralize
    return env


def date(value, format_string: str) -> str:
    """Django's ``date`` filter, in the site's time zone as Django templates show it."""
    if not value:
        return ""
    if not isinstance(value, datetime.datetime):  # a day, as an author's status has
        return dateformat.format(value, format_string)
    local = timezone.localtime(value)
    if format_string == "c":  # what Django's "c" is, without building a formatter per call
        return local.isoformat()
    if format_string == "j F Y, H:i":  # every comment's time: 25 µs through the formatter
        month = MONTHS[local.month]
        return f"{local.day} {month} {local.year:04d}, {local.hour:02d}:{local.minute:02d}"
    return dateformat.format(local, format_string)


def pluralize(count: int, suffix: str = "s") -> str:
    return "" if count == 1 else suffix


def render(template_name: str, context: dict) -> str:
    return engines["jinja2"].env.get_template(template_name).render(context)
