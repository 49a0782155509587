"""Keeping the database's query planner informed, and reading rows of SQL written by hand as
the ORM would read them."""

import functools

from django.db import connection

# Rows SQLite reads per index to estimate it: enough to tell a status column with three values
# from an author column with hundreds, and quick on any size of database.
SQLITE_ANALYSIS_LIMIT = 1000


def statistics_refresh() -> bool:
    """Tell the query planner how big the tables are and how their indexes spread.

    SQLite has no statistics until asked, and without them it guesses: it counted an author's
    posts through the status index and sorted every published post for the front page (22 ms
    with 5,000 posts) instead of reading the date index in order (docs/benchmarks.md).
    PostgreSQL keeps its own up to date as rows change (autovacuum), so it is left alone there.
    Says whether anything was refreshed.
    """
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")
    return True


def columns(alias: str, model) -> str:
    """The model's columns, in field order, for a SELECT list read by ``instance_from_row``."""
    return ", ".join(f"{alias}.{field.column}" for field in model._meta.concrete_fields)


def instance_from_row(model, row: list):
    """The model made from the front of ``row`` (taken off it), each value converted."""
    readers = _readers(connection.vendor, model)
    values = [convert(row.pop(0)) for _, convert in readers]
    return model.from_db(connection.alias, [attname for attname, _ in readers], values)


def value_from_db(field, value):
    """``value`` as read through the ORM: on SQLite, say, a date comes back as text (always, from
    an aggregate) and a UUID as hex."""
    return _reader(connection.vendor, field)(value)


@functools.cache
def _readers(vendor: str, model) -> tuple:
    # Asking the backend for a field's converters costs more than reading the row: once each.
    return tuple((field.attname, _reader(vendor, field)) for field in model._meta.concrete_fields)


@functools.cache
def _reader(vendor: str, field):
    column = field.get_col(field.model._meta.db_table)
    converters = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
    if not converters:
        return _as_is

    def convert(value):
        for converter in converters:
            value = converter(value, column, connection)
        return value

    return convert


def _as_is(value):
    return value
