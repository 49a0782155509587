"""An import killed with SIGKILL and started again ends exactly where an uninterrupted one does."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from masthead.importers.generate import write_wxr

SNAPSHOT = """
import json, django
django.setup()
from masthead.importers.tests.test_wordpress import snapshot
print(json.dumps(snapshot(), default=str))
"""


def _admin_dsn() -> str:
    admin = settings.DATABASES["default"]
    return f"host={admin['HOST']} port={admin['PORT'] or 5432} user={admin['USER']} dbname=postgres"


def _environment(tmp_path, name):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MASTHEAD_", "DATABASE_URL"))}
    env["MASTHEAD_VAR_DIR"] = str(tmp_path / name)
    env["DJANGO_SETTINGS_MODULE"] = "masthead.settings"
    if connection.vendor == "postgresql":
        database = f"masthead_resume_{uuid.uuid4().hex[:8]}"
        admin = settings.DATABASES["default"]
        with psycopg.connect(_admin_dsn(), autocommit=True) as pg:
            pg.execute(f'CREATE DATABASE "{database}"')
        env["DATABASE_URL"] = (
            f"postgres://{admin['USER']}@{admin['HOST']}:{admin['PORT'] or 5432}/{database}"
        )
        env["_DROP"] = database
    return env


def _drop(env):
    if "_DROP" in env:
        with psycopg.connect(_admin_dsn(), autocommit=True) as pg:
            pg.execute(f'DROP DATABASE IF EXISTS "{env["_DROP"]}" WITH (FORCE)')


def _masthead(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "masthead.cli", *args],
        env=env, capture_output=True, text=True, timeout=600, check=False, **kwargs,
    )  # fmt: skip


def _posts_so_far(env) -> int:
    try:
        if "DATABASE_URL" in env:
            with psycopg.connect(env["DATABASE_URL"].replace("postgres://", "postgresql://")) as pg:
                return pg.execute("SELECT count(*) FROM publishing_post").fetchone()[0]
        path = os.path.join(env["MASTHEAD_VAR_DIR"], "masthead.sqlite3")
        with sqlite3.connect(path, timeout=5) as db:
            return db.execute("SELECT count(*) FROM publishing_post").fetchone()[0]
    except (sqlite3.Error, psycopg.Error):
        return 0


def _snapshot(env):
    result = subprocess.run(
        [sys.executable, "-c", SNAPSHOT], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


@pytest.mark.django_db
def test_killed_import_resumes_to_the_same_database(tmp_path):
    export = tmp_path / "site.xml"
    with open(export, "w") as out:
        write_wxr(out, posts=240, comments=6000)
    clean, killed = _environment(tmp_path, "clean"), _environment(tmp_path, "killed")
    try:
        for env in (clean, killed):
            assert _masthead(env, "migrate", "--noinput").returncode == 0
        done = _masthead(clean, "import", "wordpress", str(export))
        assert done.returncode == 0, done.stderr

        process = subprocess.Popen(
            [sys.executable, "-m", "masthead.cli", "import", "wordpress", str(export)],
            env=killed, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 120
        while _posts_so_far(killed) < 60 and process.poll() is None:
            assert time.monotonic() < deadline, "the import never got going"
            time.sleep(0.05)
        assert process.poll() is None, "the import finished before it could be killed"
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert 0 < _posts_so_far(killed) < 240

        again = _masthead(killed, "import", "wordpress", str(export))
        assert again.returncode == 0, again.stderr
        assert _snapshot(killed) == _snapshot(clean)
    finally:
        _drop(clean)
        _drop(killed)
