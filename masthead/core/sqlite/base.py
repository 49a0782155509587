"""SQLite, with write transactions queued on a file lock before they ask for SQLite's own.

A writer that finds SQLite's write lock taken waits in SQLite's busy handler, which sleeps 1,
2, 5, 10 ms and more between tries, while a comment's write transaction holds the lock for well
under a millisecond: two workers taking comments spent much of their time asleep beside an
idle lock (comment POSTs, two workers of one thread, 16 connections: 381/s, and 440/s with the
queue). Writers that ``BEGIN IMMEDIATE`` through Django first take an exclusive ``flock`` on a
file beside the database, trying again after 50 µs, then twice as long each time up to a
millisecond. The kernel drops the lock of a process that dies. Past the connection's timeout
the writer goes on to SQLite, which stays the judge of who may write.
"""

import fcntl
import os
import time

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    FIRST_PAUSE = 0.00005
    LONGEST_PAUSE = 0.001

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._writer_file = None
        self._writer_queued = False

    def _start_transaction_under_autocommit(self):
        queued = self.transaction_mode in {"IMMEDIATE", "EXCLUSIVE"} and self._writer_queue()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            if queued:
                self._writer_leave()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._writer_leave()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._writer_leave()

    def _close(self):
        try:
            super()._close()
        finally:
            self._writer_leave()
            if self._writer_file is not None:
                os.close(self._writer_file)
                self._writer_file = None

    def _writer_queue(self) -> bool:
        """Wait for the file lock; False if there is none (in memory) or it took too long."""
        if self.is_in_memory_db():
            return False
        if self._writer_file is None:
            path = f"{self.settings_dict['NAME']}-writer"
            self._writer_file = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        deadline = time.monotonic() + self.settings_dict["OPTIONS"].get("timeout", 5)
        pause = self.FIRST_PAUSE
        while True:
            try:
                fcntl.flock(self._writer_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() > deadline:
                    return False
                time.sleep(pause)
                pause = min(pause * 2, self.LONGEST_PAUSE)
            else:
                self._writer_queued = True
                return True

    def _writer_leave(self) -> None:
        if self._writer_queued:
            self._writer_queued = False
            fcntl.flock(self._writer_file, fcntl.LOCK_UN)
