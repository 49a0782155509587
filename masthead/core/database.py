"""Keeping the database's query planner informed, and reading and writing rows with SQL
written by hand as the ORM would."""

import functools

from django.db import connection
from django.db.models import signals

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


def insert(instance) -> None:
    """Write a new ``instance`` as ``save()`` would (its defaults, ``auto_now`` fields,
    ``pre_save`` and ``post_save``), from an INSERT statement made once per model.

    For the rows written on every comment posted: ``save()`` builds its statement anew each
    time. A new comment's row took 0.45 ms through ``save()`` and takes 0.26 ms this way, of
    which SQLite's own work is 0.09 ms (SQLite, one thread, in process). A model this does not
    cover (a parent model, a primary key given or made in Python, a default the database
    makes) is saved by ``save()``.
    """
    model = type(instance)
    statement = _insert_statement(connection.vendor, model)
    if statement is None or instance.pk is not None:
        instance.save()
        return
    sql, fields, key = statement
    instance._prepare_related_fields_for_save(operation_name="save")
    signals.pre_save.send(
        sender=model, instance=instance, raw=False, using=connection.alias, update_fields=None
    )
    values = [
        field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        (pk,) = cursor.fetchone()
    setattr(instance, key.attname, pk)
    instance._state.adding = False
    instance._state.db = connection.alias
    signals.post_save.send(
        sender=model,
        instance=instance,
        created=True,
        update_fields=None,
        raw=False,
        using=connection.alias,
    )


@functools.cache
def _insert_statement(vendor: str, model) -> tuple | None:
    meta = model._meta
    key = meta.auto_field
    fields = [field for field in meta.concrete_fields if field is not key]
    if (
        key is None
        or meta.parents
        or not connection.features.can_return_columns_from_insert
        or any(field.generated or field.has_db_default() for field in fields)
    ):
        return None
    quote = connection.ops.quote_name
    sql = (  # only names from the model go in
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)})"  # noqa: S608
        f" VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {quote(key.column)}"
    )
    return sql, fields, key
