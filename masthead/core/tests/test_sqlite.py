"""The SQLite backend queues write transactions on a file lock beside the database."""

import fcntl
import os
import threading

import pytest
from django.db import OperationalError
from django.db.utils import ConnectionHandler

from masthead.core.sqlite.base import DatabaseWrapper


def _database(path, *, timeout=5.0) -> DatabaseWrapper:
    options = {"transaction_mode": "IMMEDIATE", "timeout": timeout}
    settings = ConnectionHandler().configure_settings(
        {"default": {"ENGINE": "masthead.core.sqlite", "NAME": str(path), "OPTIONS": options}}
    )["default"]
    database = DatabaseWrapper(settings, alias="queued")
    database.ensure_connection()
    return database


def _begin(database) -> None:
    database.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def _end(database, how: str) -> None:
    getattr(database, how)()
    database.set_autocommit(True)


def _queue_is_free(path) -> bool:
    descriptor = os.open(f"{path}-writer", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(descriptor)
    return True


@pytest.fixture(autouse=True)
def _own_databases(django_db_blocker):
    with django_db_blocker.unblock():  # files of these tests' own, not the test database
        yield


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "queued.sqlite3"
    database = _database(path)
    with database.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("CREATE TABLE said (words TEXT)")
    database.close()
    return path


@pytest.mark.parametrize("how", ["commit", "rollback"])
def test_a_write_transaction_holds_the_queue_until_it_ends(path, how):
    database = _database(path)
    _begin(database)
    assert not _queue_is_free(path)
    _end(database, how)
    assert _queue_is_free(path)
    database.close()


def test_closing_a_connection_leaves_the_queue(path):
    database = _database(path)
    _begin(database)
    database.close()
    assert _queue_is_free(path)


def test_a_second_writer_waits_for_the_first_to_commit(path):
    first, began, done = _database(path), threading.Event(), []
    _begin(first)
    with first.cursor() as cursor:
        cursor.execute("INSERT INTO said VALUES ('first')")

    def second_writer():
        second = _database(path)
        _begin(second)
        began.set()
        with second.cursor() as cursor:
            cursor.execute("SELECT words FROM said")
            done.extend(words for (words,) in cursor.fetchall())
            cursor.execute("INSERT INTO said VALUES ('second')")
        _end(second, "commit")
        second.close()

    thread = threading.Thread(target=second_writer)
    thread.start()
    assert not began.wait(0.3)  # queued behind the open transaction
    _end(first, "commit")
    thread.join(10)
    assert began.is_set() and done == ["first"]
    first.close()


def test_a_writer_kept_waiting_past_its_timeout_goes_on_to_sqlite(path):
    holder = os.open(f"{path}-writer", os.O_RDWR | os.O_CREAT)
    fcntl.flock(holder, fcntl.LOCK_EX)  # held by something that is not writing
    try:
        database = _database(path, timeout=0.1)
        _begin(database)
        with database.cursor() as cursor:
            cursor.execute("INSERT INTO said VALUES ('anyway')")
        _end(database, "commit")
        database.close()
    finally:
        os.close(holder)


def test_sqlite_still_refuses_a_writer_while_another_writes(path):
    first = _database(path)
    _begin(first)
    database = _database(path, timeout=0.1)
    with pytest.raises(OperationalError, match="locked"):
        _begin(database)
    assert not _queue_is_free(path)  # the first writer's, not left behind by the refused one
    _end(first, "commit")
    assert _queue_is_free(path)
    first.close()
    database.close()


def test_a_database_in_memory_has_no_queue(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    database = _database(":memory:")
    _begin(database)
    _end(database, "commit")
    database.close()
    assert not any(tmp_path.iterdir())
