"""What `masthead serve` runs: the WSGI application behind a local proxy, and the database pool."""

import gc
import json
import os
import subprocess
import sys

import pytest
from django.db import connection

from masthead import cli, wsgi
from masthead.publishing import selectors
from masthead.publishing.tests.factories import PostFactory


@pytest.fixture(autouse=True)
def _thaw_after():
    """``served_application`` freezes what is loaded, as a worker should; the test run's own
    objects go back to the collector afterwards."""
    yield
    gc.unfreeze()


def _client_seen(monkeypatch, client_host):
    seen = []
    monkeypatch.setattr(wsgi, "application", lambda environ, start: seen.append(environ))
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/",
        "wsgi.url_scheme": "http",
        "REMOTE_ADDR": client_host,
        "HTTP_HOST": "example.org",
        "HTTP_X_FORWARDED_FOR": "203.0.113.9",
        "HTTP_X_FORWARDED_PROTO": "https",
    }
    cli.served_application()(environ, None)
    return seen[0]["REMOTE_ADDR"], seen[0]["wsgi.url_scheme"]


def test_a_proxy_on_this_host_passes_on_the_readers_address(monkeypatch):
    assert _client_seen(monkeypatch, "127.0.0.1") == ("203.0.113.9", "https")


def test_forwarded_addresses_from_elsewhere_are_ignored(monkeypatch):
    assert _client_seen(monkeypatch, "198.51.100.7") == ("198.51.100.7", "http")


def _setting(expression: str, **env):
    """``expression`` over the settings, as a fresh process computes them from ``env`` alone."""
    return _in_fresh_process(
        "from django.conf import settings", f"print(json.dumps({expression}))", **env
    )


def _in_fresh_process(*statements: str, **env):
    """What the last statement prints as JSON, in a fresh process with Django set up from
    ``env`` alone."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MASTHEAD_", "DATABASE"))}
    code = "; ".join(["import json, django", "django.setup()", *statements])
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=clean | {"DJANGO_SETTINGS_MODULE": "masthead.settings"} | env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def _database_settings(**env):
    found = "settings.DATABASES['default']"
    return _setting(f"[{found}['CONN_MAX_AGE'], {found}.get('OPTIONS', {{}}).get('pool')]", **env)


@pytest.mark.parametrize(("switch", "pooled"), [("", True), ("off", False)])
def test_postgresql_goes_through_the_connection_pool(switch, pooled):
    url = "postgres://masthead@db.example.org:5432/masthead"
    age, pool = _database_settings(DATABASE_URL=url, MASTHEAD_DB_POOL=switch)
    assert (pool is not None) == pooled
    assert age == (0 if pooled else 60)
    if pooled:
        assert pool["max_size"] == 10


@pytest.mark.parametrize(("switch", "prepared"), [("", True), ("off", False)])
def test_postgresql_queries_are_bound_on_the_server_and_kept_prepared(switch, prepared):
    url = "postgres://masthead@db.example.org:5432/masthead"
    found = "settings.DATABASES['default'].get('OPTIONS', {})"
    options = _setting(
        f"[{found}.get('server_side_binding'), {found}.get('prepare_threshold')]",
        DATABASE_URL=url,
        MASTHEAD_DB_PREPARE=switch,
    )
    assert options == ([True, 5] if prepared else [None, None])


@pytest.mark.django_db
def test_a_query_postgresql_has_seen_five_times_is_not_planned_again():
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    posts = PostFactory.create_batch(6, published=True)
    for post in posts:  # another post each time: one statement, its parameters apart
        selectors.post_get_published_alone(slug=post.slug)
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [statement for (statement,) in cursor.fetchall()]
    assert any("FROM publishing_post p WHERE" in statement for statement in statements)


def test_serve_collects_static_files_refreshes_statistics_and_runs_granian(monkeypatch, capsys):
    ran, started = [], []
    monkeypatch.setattr(cli, "django_main", lambda argv: ran.append(argv[1:]))
    monkeypatch.setattr(cli, "_granian", lambda *args: started.append(args) or 0)
    # Set, then removed: the teardown then takes away what serve sets.
    monkeypatch.setenv("MASTHEAD_STATIC_MANIFEST", "")
    monkeypatch.delenv("MASTHEAD_STATIC_MANIFEST")
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("MASTHEAD_SECRET_KEY", "x" * 50)
    monkeypatch.setenv("MASTHEAD_ALLOWED_HOSTS", "news.example.org")
    monkeypatch.setenv("MASTHEAD_DEBUG", "1")
    monkeypatch.delenv("MASTHEAD_DB_CONN_MAX_AGE", raising=False)
    assert cli.serve(["--port", "8123", "--workers", "3"]) == 0
    assert os.environ["MASTHEAD_STATIC_MANIFEST"] == "1"
    assert os.environ["MASTHEAD_DEBUG"] == "0"
    assert ran == [
        ["collectstatic", "--noinput", "--verbosity", "0"],
        ["analyze", "--only-behind", "--verbosity", "0"],
    ]
    assert started == [("127.0.0.1", 8123, 3, 1)]
    assert os.environ["MASTHEAD_DB_CONN_MAX_AGE"] == "600"
    assert "Set REDIS_URL" in capsys.readouterr().err


@pytest.mark.django_db(transaction=True)
def test_serve_leaves_no_database_connection_for_its_workers_to_share(monkeypatch):
    def command(argv):  # collectstatic and analyze, which reads the database
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    open_at_fork = []

    def granian(*args):
        pools = getattr(type(connection), "_connection_pools", {})
        open_at_fork.append((connection.connection is not None, connection.alias in pools))
        return 0

    monkeypatch.setattr(cli, "django_main", command)
    monkeypatch.setattr(cli, "_granian", granian)
    monkeypatch.setenv("MASTHEAD_SECRET_KEY", "x" * 50)
    monkeypatch.setenv("MASTHEAD_ALLOWED_HOSTS", "news.example.org")
    monkeypatch.setenv("MASTHEAD_STATIC_MANIFEST", "1")
    monkeypatch.setenv("MASTHEAD_DEBUG", "0")
    monkeypatch.setenv("MASTHEAD_DB_CONN_MAX_AGE", "600")
    assert cli.serve(["--workers", "1"]) == 0
    # Django never closes an SQLite database held in memory, as the tests' is: closing loses it.
    kept = connection.vendor == "sqlite" and connection.is_in_memory_db()
    assert open_at_fork == [(kept, False)]


def test_the_manifest_storage_is_only_for_serve():
    def backend(**env):
        return _setting("settings.STORAGES['staticfiles']['BACKEND']", **env)

    assert backend() == "whitenoise.storage.CompressedStaticFilesStorage"
    assert backend(MASTHEAD_STATIC_MANIFEST="1").endswith("CompressedManifestStaticFilesStorage")


def test_sqlite_connections_live_as_long_as_serve_asks():
    assert _database_settings()[0] == 0
    assert _database_settings(MASTHEAD_DB_CONN_MAX_AGE="600")[0] == 600


def test_a_request_without_proxy_headers_is_passed_on_untouched(monkeypatch):
    seen = []
    monkeypatch.setattr(wsgi, "application", lambda environ, start: seen.append(dict(environ)))
    environ = {"REQUEST_METHOD": "GET", "REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "http"}
    cli.served_application()(dict(environ), None)
    assert seen == [environ]


def test_a_worker_freezes_the_loaded_site_out_of_the_collectors_way():
    """Each worker loads the views and freezes what it loaded: a full collection then walks only
    what requests left behind."""
    found = _in_fresh_process(
        "import gc, sys",
        "from masthead import cli",
        "before = 'masthead.discussion.views' in sys.modules",
        "cli.served_application()",
        "print(json.dumps([before, 'masthead.discussion.views' in sys.modules,"
        " gc.get_freeze_count(), len(gc.get_objects())]))",
    )
    loaded_before, loaded_after, frozen, tracked = found
    assert not loaded_before and loaded_after
    assert frozen > 50_000
    assert tracked < frozen / 20


@pytest.mark.parametrize("option", ["--workers", "--threads"])
@pytest.mark.parametrize(("value", "message"), [("0", "at least 1"), ("two", "not a whole number")])
def test_serve_refuses_fewer_than_one_worker_or_thread(monkeypatch, capsys, option, value, message):
    started = []
    monkeypatch.setattr(cli, "_granian", lambda *args: started.append(args) or 0)
    monkeypatch.setenv("MASTHEAD_SECRET_KEY", "x" * 50)
    monkeypatch.setenv("MASTHEAD_ALLOWED_HOSTS", "news.example.org")
    with pytest.raises(SystemExit) as exit_info:
        cli.serve([option, value])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert f"argument {option}" in error
    assert message in error
    assert started == []
