"""The ceiling for `make bench-pages`: a WSGI app that returns one page's bytes from memory,
served as `masthead serve` serves Masthead (granian's WSGI interface, a pool of threads)."""

import os

BODY = open(os.environ["BENCH_PAGE_FILE"], "rb").read()  # noqa: SIM115 (read once at import)
HEADERS = [
    ("Content-Type", "text/html; charset=utf-8"),
    ("Content-Length", str(len(BODY))),
]


def app(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
