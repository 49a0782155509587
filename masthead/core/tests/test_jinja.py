"""The Jinja2 environment shows what Django templates would."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from masthead.core import jinja

WHEN = datetime.datetime(2026, 11, 25, 21, 5, 9, 120, tzinfo=datetime.UTC)


@pytest.mark.parametrize("format_string", ["c", "j F Y, H:i", "j F Y"])
@pytest.mark.parametrize("zone", ["UTC", "Europe/Amsterdam", "America/New_York"])
def test_dates_read_as_django_shows_them(settings, format_string, zone):
    settings.TIME_ZONE = zone
    with timezone.override(zone):
        django = Template("{{ when|date:format }}").render(
            Context({"when": WHEN, "format": format_string})
        )
        assert jinja.date(WHEN, format_string) == django


@pytest.mark.parametrize(
    "when",
    [
        datetime.datetime(2026, 1, 2, 3, 4, tzinfo=datetime.UTC),
        datetime.datetime(987, 12, 31, 23, 59, tzinfo=datetime.UTC),
        datetime.datetime(2026, 5, 9, 0, 0, tzinfo=datetime.UTC),
    ],
)
@pytest.mark.parametrize("language", ["en", "fr", "de"])
def test_a_comments_time_reads_as_django_shows_it_in_any_language(when, language):
    with translation.override(language):
        django = Template("{{ when|date:'j F Y, H:i' }}").render(Context({"when": when}))
        assert jinja.date(when, "j F Y, H:i") == django


def test_an_empty_date_is_empty():
    assert jinja.date(None, "c") == ""


@pytest.mark.parametrize(("count", "expected"), [(0, "s"), (1, ""), (2, "s")])
def test_pluralize(count, expected):
    assert jinja.pluralize(count) == expected


def test_everything_is_escaped():
    env = jinja.environment(loader=None)
    assert env.from_string("{{ name }}").render(name="<b>A&B</b>") == "&lt;b&gt;A&amp;B&lt;/b&gt;"


@pytest.mark.parametrize("format_string", ["j F Y", "F Y"])
def test_a_day_reads_as_django_shows_it(format_string):
    day = datetime.date(2019, 3, 4)
    django = Template("{{ day|date:format }}").render(
        Context({"day": day, "format": format_string})
    )
    assert jinja.date(day, format_string) == django
