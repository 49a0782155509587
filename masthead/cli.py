"""The ``masthead`` command: operators' verbs on top of every Django management command.

masthead run                 migrate, load the demo once, serve on 127.0.0.1:8000 (embedded)
masthead serve [--workers N] production: granian (WSGI), DEBUG off, settings from the environment
masthead demo                load the demo site (idempotent)
masthead worker              run background tasks (reply e-mails); one or more beside `serve`
masthead <command> ...       any Django management command (createsuperuser, check, ...)
"""

import argparse
import gc
import os
import sys

REQUIRED_FOR_SERVE = {
    "MASTHEAD_SECRET_KEY": "a long random string, e.g. from `python -c 'import secrets; "
    "print(secrets.token_urlsafe(50))'`",
    "MASTHEAD_ALLOWED_HOSTS": "the host names this site answers to, comma-separated",
}


def django_main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


def missing_for_serve(environ) -> list[str]:
    return [name for name in REQUIRED_FOR_SERVE if not environ.get(name, "").strip()]


def serve(args: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="masthead serve", description="Serve in production.")
    parser.add_argument("--host", default=os.environ.get("MASTHEAD_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("MASTHEAD_PORT", "8000")))
    parser.add_argument(
        "--workers", type=_at_least_one, default=os.environ.get("MASTHEAD_WORKERS", "2")
    )
    parser.add_argument(
        "--threads", type=_at_least_one, default=os.environ.get("MASTHEAD_THREADS", "1")
    )
    options = parser.parse_args(args)
    missing = missing_for_serve(os.environ)
    if missing:
        for name in missing:
            print(
                f"masthead serve: {name} is not set: {REQUIRED_FOR_SERVE[name]}.", file=sys.stderr
            )
        print(
            "Refusing to start in production without it. See docs/configuration.md.",
            file=sys.stderr,
        )
        return 2
    os.environ["MASTHEAD_DEBUG"] = "0"
    os.environ.setdefault("MASTHEAD_STATIC_MANIFEST", "1")
    # Each worker's threads live as long as it does, so their database connections can too.
    os.environ.setdefault("MASTHEAD_DB_CONN_MAX_AGE", "600")
    django_main(["masthead", "collectstatic", "--noinput", "--verbosity", "0"])
    django_main(["masthead", "analyze", "--only-behind", "--verbosity", "0"])
    _close_databases()
    if options.workers > 1 and not os.environ.get("REDIS_URL"):
        print(
            "masthead serve: several workers without REDIS_URL keep separate page caches, and a "
            "purge reaches only one of them. Set REDIS_URL (see docs/deploy.md).",
            file=sys.stderr,
        )
    return _granian(options.host, options.port, options.workers, options.threads)


def _close_databases() -> None:
    """Granian forks its workers from this process: a connection, or a pool of them, opened
    here would be shared by every worker, which then read each other's answers off one socket
    ("lost synchronization with server")."""
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        connection.close()
        if hasattr(connection, "close_pool"):
            connection.close_pool()


def _at_least_one(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is too few: at least 1")
    return value


def _granian(host: str, port: int, workers: int, threads: int) -> int:
    """Production serving: granian's WSGI interface measured ahead of its ASGI one and of
    uvicorn here, because Django runs every ASGI request's views in a thread of its own, with
    a database connection of its own (docs/benchmarks.md)."""
    from granian import Granian
    from granian.constants import Interfaces

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")
    Granian(
        "masthead.cli:served_application",
        factory=True,
        address=host,
        port=port,
        workers=workers,
        blocking_threads=threads,
        interface=Interfaces.WSGI,
        websockets=False,
        log_access=False,
    ).serve()
    return 0


LOCAL_PROXIES = ("127.0.0.1", "::1")


def served_application():
    """The WSGI application behind a proxy on this host: its X-Forwarded-* headers are trusted."""
    from granian.utils.proxies import wrap_wsgi_with_proxy_headers

    from masthead.wsgi import application

    proxied = wrap_wsgi_with_proxy_headers(application, trusted_hosts=list(LOCAL_PROXIES))
    _freeze_loaded_site()

    def serve(meta, start_response):
        # Only a request from the local proxy, with its header, pays for parsing addresses.
        if "HTTP_X_FORWARDED_FOR" in meta and meta.get("REMOTE_ADDR") in LOCAL_PROXIES:
            return proxied(meta, start_response)
        return application(meta, start_response)

    return serve


def _freeze_loaded_site() -> None:
    """What loading the site made (modules, views, settings: some 130,000 objects) lives as long
    as the worker, so the garbage collector's full passes need not walk it: one took 64 ms, a
    pause for every request queued behind it, and 0.1 ms once it was frozen. The URLs are
    loaded first, which imports every view, rather than on the first request."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (loading them is the point)
    gc.freeze()


def _uvicorn(host: str, port: int, workers: int) -> int:
    import uvicorn

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")
    uvicorn.run(
        "masthead.asgi:application",
        host=host,
        port=port,
        workers=workers,
        lifespan="off",
        access_log=False,
        proxy_headers=True,
    )
    return 0


def run(args: list[str]) -> int:
    """The embedded site: everything `make run` promises, in one process."""
    django_main(["masthead", "migrate", "--noinput", "--verbosity", "0"])
    django_main(["masthead", "demo"])
    django_main(["masthead", "ensure_admin"])
    host, port = "127.0.0.1", 8000
    if args:
        host, _, port_text = args[0].rpartition(":")
        host, port = host or "127.0.0.1", int(port_text)
    print(f"Serving http://{host}:{port}/ (Ctrl-C to stop)", flush=True)
    tasks_in_process()
    return _uvicorn(host, port, 1)


def tasks_in_process(interval: float = 1.0):
    """The embedded site is one process: a thread works through the task queue beside it."""
    import threading

    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=["*"], interval=interval, batch=False, backend_name="default",
        startup_delay=False, max_tasks=None, worker_id="masthead-run", excluded_queue_names=[],
    )  # fmt: skip
    worker.thread = threading.Thread(target=_work, args=[worker], name="tasks", daemon=True)
    worker.thread.start()
    return worker


def _work(worker) -> None:
    from django.db import connections

    try:
        worker.run()
    finally:
        connections.close_all()


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    command = argv[1] if len(argv) > 1 else "help"
    if command == "serve":
        return serve(argv[2:])
    if command == "run":
        return run(argv[2:])
    if command == "worker":
        django_main(["masthead", "db_worker", "--queue-name", "*", *argv[2:]])
        return 0
    if command in {"help", "-h", "--help"}:
        print(__doc__)
        django_main(["masthead", "help"])
        return 0
    django_main(["masthead", *argv[1:]])
    return 0


if __name__ == "__main__":
    sys.exit(main())
