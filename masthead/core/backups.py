"""Backups a running site can take, and restores that put every table back as it was.

A backup is one ``.tar.gz`` holding:

- ``database.sqlite3`` (SQLite's online backup API: one consistent read while writers go on) or
  ``database.pgdump`` (``pg_dump --format=custom`` on a snapshot exported for the occasion);
- ``media/``, the uploaded files;
- ``manifest.json``: the engine, the time, and every table's row count and checksum, read from
  the very snapshot that was saved, so a restore can prove it put back exactly that.

Restoring writes the snapshot into the configured database (SQLite: the backup API again, into the
live file, so open connections simply see the restored data; PostgreSQL: ``pg_restore --clean
--if-exists --single-transaction``), replaces the media folder, and checks every table against
the manifest.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

FORMAT = 1
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    pass


def _normal(value) -> str:
    if isinstance(value, memoryview | bytes):
        return bytes(value).hex()
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, float | Decimal):
        return repr(float(value))
    return repr(value)


def _digest(rows) -> tuple[int, str]:
    digest, count = hashlib.sha256(), 0
    for row in rows:
        count += 1
        digest.update(("\x1f".join(_normal(v) for v in row) + "\x1e").encode())
    return count, digest.hexdigest()


def sqlite_fingerprints(database: sqlite3.Connection) -> dict[str, list]:
    """Row count and checksum of every table in an SQLite database, rows in a fixed order."""
    tables = [
        name
        for (name,) in database.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    found = {}
    for table in tables:
        quoted = '"' + table.replace('"', '""') + '"'
        width = len(database.execute(f"SELECT * FROM {quoted} LIMIT 0").description)  # noqa: S608
        order = ", ".join(str(n) for n in range(1, width + 1))
        rows = database.execute(f"SELECT * FROM {quoted} ORDER BY {order}")  # noqa: S608
        found[table] = list(_digest(rows))
    return found


def postgres_fingerprints(cursor) -> dict[str, list]:
    """The same for PostgreSQL, in the cursor's transaction (and so its snapshot)."""
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    )
    found = {}
    for (table,) in cursor.fetchall():
        quoted = connection.ops.quote_name(table)
        cursor.execute(f"SELECT * FROM {quoted} LIMIT 0")  # noqa: S608
        order = ", ".join(str(n) for n in range(1, len(cursor.description) + 1))
        cursor.execute(f"SELECT * FROM {quoted} ORDER BY {order}")  # noqa: S608
        found[table] = list(_digest(cursor.fetchall()))
    return found


def live_fingerprints() -> dict[str, list]:
    """Fingerprints of the configured database as it is now."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        # A plain copy reads values as stored; Django's connection would convert dates first.
        copy = sqlite3.connect(":memory:")
        try:
            connection.connection.backup(copy, pages=-1)
            return sqlite_fingerprints(copy)
        finally:
            copy.close()
    with transaction.atomic(), connection.cursor() as cursor:
        return postgres_fingerprints(cursor)


def _pg_command(program: str) -> tuple[list[str], dict[str, str]]:
    database = connection.settings_dict
    args = [program, "--no-password"]
    if database.get("HOST"):
        args += ["--host", database["HOST"]]
    if database.get("PORT"):
        args += ["--port", str(database["PORT"])]
    if database.get("USER"):
        args += ["--username", database["USER"]]
    env = dict(os.environ)
    # The password goes through the environment, never the command line others can read.
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = database["PASSWORD"]
    if sslmode := database.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = sslmode
    return args, env


def _run(args: list[str], env: dict[str, str]) -> None:
    if shutil.which(args[0]) is None:
        raise BackupError(f"{args[0]} is not installed; install the PostgreSQL client tools.")
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{args[0]} failed: {result.stderr.strip()}")


def _dump_sqlite(target: Path) -> dict[str, list]:
    connection.ensure_connection()
    snapshot = sqlite3.connect(target)
    try:
        # pages=-1 copies everything in one step under one read lock: a consistent snapshot.
        connection.connection.backup(snapshot, pages=-1)
        return sqlite_fingerprints(snapshot)
    finally:
        snapshot.close()


def _dump_postgres(target: Path) -> dict[str, list]:
    args, env = _pg_command("pg_dump")
    with transaction.atomic(), connection.cursor() as cursor:
        # pg_dump reads the very snapshot the fingerprints are taken from.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        _run(
            [*args, "--format=custom", "--no-owner", "--no-privileges",
             f"--snapshot={snapshot}", f"--file={target}", connection.settings_dict["NAME"]],
            env,
        )  # fmt: skip
        return postgres_fingerprints(cursor)


def default_path() -> Path:
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
    return settings.VAR_DIR / "backups" / f"masthead-{stamp}.tar.gz"


def backup_create(*, output: Path) -> dict:
    """Write a backup of the database and media to ``output``; return its manifest."""
    vendor = connection.vendor
    if vendor not in DUMP_NAMES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output.parent) as work:
        dump = Path(work) / DUMP_NAMES[vendor]
        tables = _dump_sqlite(dump) if vendor == "sqlite" else _dump_postgres(dump)
        manifest = {
            "format": FORMAT,
            "engine": vendor,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
            "tables": tables,
        }
        (Path(work) / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(Path(work) / "manifest.json", "manifest.json")
            archive.add(dump, dump.name)
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                archive.add(media, "media")
        # Only a complete archive ever carries the final name.
        partial.replace(output)
    return manifest


def _restore_sqlite(dump: Path) -> None:
    connection.ensure_connection()
    if connection.in_atomic_block:
        raise BackupError("Restore cannot run inside a transaction.")
    snapshot = sqlite3.connect(dump)
    try:
        snapshot.backup(connection.connection, pages=-1)
    finally:
        snapshot.close()


def _restore_postgres(dump: Path) -> None:
    args, env = _pg_command("pg_restore")
    connection.close()
    _run(
        [*args, "--clean", "--if-exists", "--single-transaction", "--no-owner",
         "--no-privileges", f"--dbname={connection.settings_dict['NAME']}", str(dump)],
        env,
    )  # fmt: skip


def _replace_media(extracted: Path) -> None:
    media = Path(settings.MEDIA_ROOT)
    media.parent.mkdir(parents=True, exist_ok=True)
    incoming = media.with_name(media.name + ".restoring")
    outgoing = media.with_name(media.name + ".replaced")
    for stale in (incoming, outgoing):
        shutil.rmtree(stale, ignore_errors=True)
    if extracted.is_dir():
        shutil.move(extracted, incoming)
    else:
        incoming.mkdir()
    if media.exists():
        media.rename(outgoing)
    incoming.rename(media)
    shutil.rmtree(outgoing, ignore_errors=True)


def backup_restore(*, path: Path) -> dict:
    """Put the database and media of the backup at ``path`` back; return what was checked."""
    with tempfile.TemporaryDirectory() as work, tarfile.open(path, "r:gz") as archive:
        # The "data" filter refuses absolute paths, links out of the folder and device files.
        archive.extractall(work, filter="data")
        manifest = json.loads((Path(work) / "manifest.json").read_text())
        if manifest.get("format") != FORMAT:
            raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
        if manifest["engine"] != connection.vendor:
            raise BackupError(
                f"This backup is of a {manifest['engine']} database; the site uses "
                f"{connection.vendor}. Restore it into the same kind of database."
            )
        dump = Path(work) / DUMP_NAMES[manifest["engine"]]
        if manifest["engine"] == "sqlite":
            _restore_sqlite(dump)
        else:
            _restore_postgres(dump)
        _replace_media(Path(work) / "media")
    restored = live_fingerprints()
    differing = sorted(
        table
        for table in set(manifest["tables"]) | set(restored)
        if manifest["tables"].get(table) != restored.get(table)
    )
    if differing:
        raise BackupError(f"Restored tables differ from the backup: {', '.join(differing)}")
    return manifest
