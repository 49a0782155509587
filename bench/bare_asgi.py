"""The ceiling for `make bench-pages`: an ASGI app that returns one page's bytes from memory."""

import os

BODY = open(os.environ["BENCH_PAGE_FILE"], "rb").read()  # noqa: SIM115 (read once at import)
HEADERS = [
    (b"content-type", b"text/html; charset=utf-8"),
    (b"content-length", str(len(BODY)).encode()),
]


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})
