"""Cursor pagination: a page of items and an opaque, signed cursor for the next one.

A list is read in a fixed order that ends in a unique field (``-published_at, -id``), and the
cursor holds the sort values of the last item served, signed with the list's own salt. The next
page starts strictly after them, so rows published meanwhile neither repeat nor vanish, and a
page costs the same at the millionth row as at the first (no OFFSET). A cursor cannot be forged,
edited, or replayed on another list; a bad one is a 400 ``bad_cursor``.
"""

import datetime
import functools
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db.models import Model, Q, QuerySet
from ninja import Schema
from pydantic import create_model

from masthead.api.errors import ApiError

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
SALT = "masthead.api.cursor"


@dataclass
class Page:
    items: list
    next_cursor: str | None


def page_schema(item: type[Schema]) -> type[Schema]:
    """``{"items": [item, ...], "next_cursor": "…" | null}`` for one kind of item."""
    return create_model(
        f"{item.__name__}Page",
        __base__=Schema,
        items=(list[item], ...),
        next_cursor=(str | None, None),
    )


def cursor_dumps(values: list[Any], *, name: str) -> str:
    return signing.dumps(values, salt=f"{SALT}.{name}", compress=True)


def cursor_loads(cursor: str, *, name: str, length: int) -> list[Any]:
    try:
        values = signing.loads(cursor, salt=f"{SALT}.{name}")
    except signing.BadSignature as error:
        raise ApiError(
            400, "This cursor is not one this list gave out.", code="bad_cursor"
        ) from error
    if not isinstance(values, list) or len(values) != length:
        raise ApiError(400, "This cursor is not one this list gave out.", code="bad_cursor")
    return values


def _raw(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.datetime) else value


def keyset_page(
    queryset: QuerySet, *, ordering: Sequence[str], cursor: str | None, limit: int, name: str
) -> Page:
    """One page of ``queryset`` in ``ordering``, whose last field must be unique."""
    fields = [field.lstrip("-") for field in ordering]
    queryset = queryset.order_by(*ordering)
    if cursor:
        raw = cursor_loads(cursor, name=name, length=len(fields))
        model: type[Model] = queryset.model
        try:
            values = [
                model._meta.get_field(f).to_python(v) for f, v in zip(fields, raw, strict=True)
            ]
        except Exception as error:  # a signed cursor from an older layout
            raise ApiError(400, "This cursor has expired.", code="bad_cursor") from error
        queryset = queryset.filter(_after(ordering, values))
    rows = list(queryset[: limit + 1])
    items = rows[:limit]
    more = len(rows) > limit
    next_cursor = (
        cursor_dumps([_raw(getattr(items[-1], f)) for f in fields], name=name) if more else None
    )
    return Page(items, next_cursor)


def _after(ordering: Sequence[str], values: list[Any]) -> Q:
    """Rows strictly after ``values`` in ``ordering``: (a, b) after (x, y) is a > x, or a = x
    and b > y, with > read as < for descending fields."""
    steps = []
    for index, field in enumerate(ordering):
        name = field.lstrip("-")
        lookup = "lt" if field.startswith("-") else "gt"
        step = Q(**{f"{name}__{lookup}": values[index]})
        for before, earlier in enumerate(ordering[:index]):
            step &= Q(**{earlier.lstrip("-"): values[before]})
        steps.append(step)
    return functools.reduce(operator.or_, steps)


def sequence_page(
    items: Sequence[Any],
    *,
    cursor: str | None,
    limit: int,
    name: str,
    key: Callable[[Any], int],
) -> Page:
    """One page of a list already in memory, ordered by the ascending integer ``key``."""
    start = 0
    if cursor:
        (after,) = cursor_loads(cursor, name=name, length=1)
        if not isinstance(after, int):
            raise ApiError(400, "This cursor is not one this list gave out.", code="bad_cursor")
        start = next((i for i, item in enumerate(items) if key(item) > after), len(items))
    chunk = list(items[start : start + limit])
    more = start + limit < len(items)
    return Page(chunk, cursor_dumps([key(chunk[-1])], name=name) if more and chunk else None)
