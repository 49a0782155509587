import os

import pytest

# Playwright's sync API runs an event loop in the test thread; live_server's database access
# from that thread is safe here because each test has its own transaction-free live server.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
        ],
    }


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """The live server answers the browser from several threads. On SQLite they share a database
    file in WAL mode, as in production, where one waits for another's write; an in-memory test
    database shared between threads answers "database table is locked" at once instead."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith((".sqlite3", ".sqlite")):
        path = tmp_path_factory.mktemp("e2e-database") / "masthead.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(path)
