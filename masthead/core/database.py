"""Keeping the database's query planner informed, and reading and writing rows with SQL
written by hand as the ORM would."""

import functools
import itertools

from django.db import connection
from django.db.models import signals

# Rows SQLite reads per index to estimate it: enough to tell a status column with three values
# from an author column with hundreds, and quick on any size of database.
SQLITE_ANALYSIS_LIMIT = 1000


def statistics_refresh(*, only_behind: bool = False) -> int:
    """Tell the query planner how big the tables are and how their indexes spread; returns how
    many tables were refreshed.

    SQLite has no statistics until asked, and without them it guesses: it counted an author's
    posts through the status index and sorted every published post for the front page (22 ms
    with 5,000 posts) instead of reading the date index in order (docs/benchmarks.md).

    PostgreSQL keeps its own up to date as rows change, but only while autovacuum runs; where it
    is off, a table filled after it was created is never analysed. The planner then guesses its
    size from its column widths, a tenth of the truth for the comments, and took a sequential
    scan and a sort for the spam model's window of latest comments: 4 ms of the database's time
    for every comment posted on a site of 7,700 comments, against 0.1 ms through the index.
    ``only_behind`` refreshes only the tables autovacuum would have analysed by now (where it
    runs, few or none), and any the planner was last told is empty that has pages now: what
    ``masthead serve`` asks as it starts. A database copied with ``CREATE DATABASE ... TEMPLATE``
    starts with no counts of changes, and its comments, never analysed, were planned as a handful:
    the statements each worker prepares then kept a plan that read every guest's comment to find
    one commenter's, and comment POSTs fell from 256 to 133 a second within half a minute.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
            cursor.execute("ANALYZE")
            cursor.execute("SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table'")
            return cursor.fetchone()[0]
        cursor.execute(
            "SELECT s.relname FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid"
            " WHERE s.schemaname = current_schema() AND (%s OR c.reltuples < 0"
            " OR s.n_mod_since_analyze > current_setting('autovacuum_analyze_threshold')::float"
            " + current_setting('autovacuum_analyze_scale_factor')::float * c.reltuples"
            " OR (c.relpages = 0 AND pg_relation_size(c.oid) > 0))"
            " ORDER BY s.relname",
            [not only_behind],
        )
        tables = [name for (name,) in cursor.fetchall()]
        if tables:
            quoted = ", ".join(connection.ops.quote_name(name) for name in tables)
            cursor.execute(f"ANALYZE {quoted}")
    return len(tables)


def read_together(reads: list[tuple[str, list]]) -> list[list[tuple]]:
    """The rows of each of several reads that do not depend on each other, in one round trip.

    On PostgreSQL the reads become one statement, each read's rows one JSON array: a statement
    costs the application and the database more than such small reads themselves (four of the
    moderation pipeline's took 0.31 ms of both one by one, 0.12 ms as one). Values come back as
    JSON has them (numbers, text, true and false, None), so reads of dates or times do not
    belong here, and each read's columns need names of their own. A read keeps its rows' order
    (an aggregate takes a sorted subquery's rows as they come). SQLite, in process, runs the
    reads in turn.
    """
    if not reads:
        return []
    if connection.vendor != "postgresql":
        results = []
        with connection.cursor() as cursor:
            for sql, params in reads:
                cursor.execute(sql, params)
                results.append([tuple(row) for row in cursor.fetchall()])
        return results
    together = ", ".join(
        f"(SELECT json_agg(r) FROM ({sql}) r)"  # noqa: S608 (SQL of this module's callers)
        for sql, _ in reads
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {together}", [value for _, params in reads for value in params])
        found = cursor.fetchone()
    return [[tuple(row.values()) for row in rows or ()] for rows in found]


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
    if _insert_statement(connection.vendor, type(instance)) is None or instance.pk is not None:
        instance.save()
        return
    insert_where(instance)


def insert_where(
    instance,
    *,
    computed: dict[str, tuple[str, list]] | None = None,
    condition=("", []),
    along=(),
    unless_taken: tuple[str, ...] = (),
) -> bool:
    """``insert``, with the values of the fields named in ``computed`` given by SQL expressions
    (with their parameters), and the row written only if the SQL ``condition`` holds, all in
    one statement; False, and nothing written or signalled, if it did not hold. Only for models
    ``insert`` covers. ``unless_taken`` names the fields of a unique constraint: a row that
    would break it is not written either (False), where the database waits for a concurrent
    transaction writing the same values to end and would otherwise fail.

    ``along``: new rows of other models, each with one foreign key to this model (left unset),
    written with it or not at all: in the same statement on PostgreSQL (a comment's audit entry
    as a statement of its own cost each comment POST 4% of its processor time), else by
    ``insert`` just after it."""
    model = type(instance)
    computed = computed or {}
    chained = connection.vendor == "postgresql"
    sql, fields, key, returned = _insert_where_statement(
        connection.vendor,
        model,
        tuple((name, expression) for name, (expression, _) in computed.items()),
        condition[0],
        tuple(type(row) for row in along) if chained else (),
        unless_taken,
    )
    instance._prepare_related_fields_for_save(operation_name="save")
    signals.pre_save.send(
        sender=model, instance=instance, raw=False, using=connection.alias, update_fields=None
    )
    values = []
    for field in fields:
        if field.name in computed:
            values.extend(computed[field.name][1])
        else:
            values.append(field.get_db_prep_save(field.pre_save(instance, True), connection))
    chained_values = [v for row in along for v in _values_along(row, model)] if chained else []
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, *condition[1], *chained_values])
        found = cursor.fetchone()
    if found is None:
        return False
    setattr(instance, key.attname, found[0])
    for field, value in zip(returned, found[1 : 1 + len(returned)], strict=True):
        setattr(instance, field.attname, value_from_db(field, value))
    _saved(instance)
    for companion, pk in itertools.zip_longest(along, found[1 + len(returned) :]):
        setattr(companion, _link(type(companion), model).attname, instance.pk)
        if pk is None:  # not chained
            insert(companion)
            continue
        setattr(companion, companion._meta.pk.attname, pk)
        _saved(companion)
    return True


def _saved(instance) -> None:
    instance._state.adding = False
    instance._state.db = connection.alias
    signals.post_save.send(
        sender=type(instance),
        instance=instance,
        created=True,
        update_fields=None,
        raw=False,
        using=connection.alias,
    )


def _values_along(row, model) -> list:
    """A row written ``along`` with a new row of ``model``: its values but the link, which the
    statement takes from the new row, and its pre_save signal, as ``insert`` sends it."""
    signals.pre_save.send(
        sender=type(row), instance=row, raw=False, using=connection.alias, update_fields=None
    )
    _, fields, _ = _insert_statement(connection.vendor, type(row))
    link = _link(type(row), model)
    return [
        field.get_db_prep_save(field.pre_save(row, True), connection)
        for field in fields
        if field is not link
    ]


@functools.cache
def _link(along, model):
    (field,) = [
        field
        for field in along._meta.concrete_fields
        if field.is_relation and field.related_model is model
    ]
    return field


@functools.cache
def _insert_where_statement(
    vendor: str, model, computed: tuple, condition: str, along: tuple = (), unless_taken=()
) -> tuple:
    statement = _insert_statement(vendor, model)
    if statement is None:
        raise ValueError(f"{model.__name__} is saved by save(), not by a statement of its own")
    sql, fields, key = statement
    if not computed and not condition and not along and not unless_taken:
        return sql, fields, key, []
    expressions = dict(computed)
    quote = connection.ops.quote_name
    head = sql[: sql.index(" VALUES (")]
    returned = [field for field in fields if field.name in expressions]
    taken = ", ".join(quote(model._meta.get_field(name).column) for name in unless_taken)
    sql = (
        f"{head} SELECT {', '.join(expressions.get(f.name, '%s') for f in fields)}"
        + (f" WHERE {condition}" if condition else "")
        # After a WHERE, if only "WHERE true": ON CONFLICT would otherwise read as a join's ON.
        + (
            f"{'' if condition else ' WHERE true'} ON CONFLICT ({taken}) DO NOTHING"
            if taken
            else ""
        )
        + f" RETURNING {', '.join(quote(f.column) for f in [key, *returned])}"
    )
    if not along:
        return sql, fields, key, returned
    # PostgreSQL: the new row as a WITH query, each row along inserted from it (the new row's
    # key for its link), and nothing along if the condition kept the new row out.
    chain, picked = [f"new AS ({sql})"], []
    for index, other in enumerate(along):
        statement = _insert_statement(vendor, other)
        if statement is None:
            raise ValueError(f"{other.__name__} is saved by save(), not along another row")
        other_sql, other_fields, other_key = statement
        link = _link(other, model)
        chosen = ", ".join(f"new.{quote(key.column)}" if f is link else "%s" for f in other_fields)
        chain.append(
            f"along{index} AS ({other_sql[: other_sql.index(' VALUES (')]} SELECT {chosen}"  # noqa: S608 (names from the models)
            f" FROM new RETURNING {quote(other_key.column)})"
        )
        picked.append(f"along{index}.{quote(other_key.column)}")
    joined = " CROSS JOIN ".join(["new", *(f"along{index}" for index in range(len(along)))])
    sql = f"WITH {', '.join(chain)} SELECT new.*, {', '.join(picked)} FROM {joined}"  # noqa: S608
    return sql, fields, key, returned


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
