# ruff: noqa: S603, S607, S310 (a harness that runs local tools against loopback)
"""`make bench-pages`: how fast Masthead serves readers, measured with wrk on loopback.

Generates a site in a temporary SQLite database (1,000 comments: two posts with 17, threaded as
`masthead generate` makes them, one with 500, the rest spread over other posts) and starts
`masthead serve` (granian) on free loopback ports three times: with the page cache on; off
(MASTHEAD_PAGE_CACHE=off: every request renders its page, while the discussion under it is kept
under the thread's marker as in production); and with that off too
(MASTHEAD_THREAD_CACHE_SECONDS=0). It drives each page at 1, 16 and 64 connections, and comment
POSTs through the whole moderation pipeline with a wrk Lua script. Next to them: the same page's
bytes as a static file from nginx, through edge publishing (the nginx configuration of
docs/deploy.md, run as written), and from a bare WSGI app holding them in memory on granian as
`masthead serve` runs it (the ceiling for Python). Then on PostgreSQL + Redis: one app process
(on its own and behind nginx) against two behind nginx, a purge and a newly approved comment
made through one process seen by the other and at the edge, comment POSTs, and the 17-comment
page with 1,000 and then 1,000,000 comments in the database. Writes the table, the machine, the
date and an in-process profile of the uncached post page to docs/benchmarks.md.

Not part of `make test`: timings on a shared machine are noisy, and the table says so.
Options: --seconds (per wrk run, default 5), --posts (default 5000), --skip-postgres,
--scale-comments (default 1,000,000) and --scale-minutes (default 8: the growth stops there and
the row says how many comments it reached).
"""

import argparse
import atexit
import datetime
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
DOC = ROOT / "docs" / "benchmarks.md"
DEPLOY = ROOT / "docs" / "deploy.md"
CONNECTIONS = (1, 16, 64)
SITE_COMMENTS = 1000
# The edge's target is checked on pairs of short runs, static file then edge: in the table's
# 3-second rounds a row apart, either moved by a tenth and more from one round to the next.
PAIRS, PAIR_SECONDS = 15, 1
PAGE_TIME_RENDERS = 600  # page time in process: renders of each database's page, in turn
MIN_FORM_SECONDS = 3  # the moderation pipeline holds a form sent sooner (pipeline.timestamp)
MASTHEAD = [str(BIN / "python"), "-m", "masthead.cli"]
STARTED: list[subprocess.Popen] = []


@dataclass
class Run:
    rps: float
    p50: float
    p99: float
    errors: int = 0


@dataclass
class Row:
    page: str
    setup: str
    served: str
    runs: dict[int, Run] = field(default_factory=dict)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument(
        "--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
    )
    parser.add_argument("--database", default="masthead_bench")
    parser.add_argument("--scale-comments", type=int, default=1_000_000)
    parser.add_argument("--scale-minutes", type=float, default=8)
    options = parser.parse_args()
    ensure_tools()
    atexit.register(stop_all)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    bench = Bench(options)
    bench.sqlite_phase()
    if not options.skip_postgres:
        bench.postgres_phase()
    bench.profile_uncached()
    bench.report()
    return 0


# Tools and processes.


def ensure_tools() -> None:
    missing = [name for name in ("wrk", "nginx") if not shutil.which(name)]
    if missing:
        print(f"Installing {' '.join(missing)} from Debian", flush=True)
        env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True, env=env)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(command: list[str], *, env: dict, log: Path, cwd: Path = ROOT) -> subprocess.Popen:
    with open(log, "ab") as out:
        process = subprocess.Popen(
            command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    STARTED.append(process)
    return process


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def stop_all() -> None:
    for process in reversed(STARTED):
        stop(process)


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"Nothing answered at {url}")


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def wrk(url: str, connections: int, seconds: int, script: list[str] = ()) -> Run:
    return parse_wrk(wrk_output(url, connections, seconds, script))


def wrk_output(url: str, connections: int, seconds: int, script: list[str] = ()) -> str:
    """wrk's report; ``script`` is ``[path, arguments...]`` for a Lua script."""
    threads = min(connections, 2)
    extra = ["-s", script[0], url, "--", *script[1:]] if script else [url]
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", *extra]
    for _attempt in range(2):
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode == 0:
            return result.stdout
        print(f"wrk failed ({result.stderr.strip() or result.stdout.strip()})", flush=True)
        time.sleep(1)
    raise SystemExit(f"wrk failed twice at {url}")


def parse_wrk(output: str) -> Run:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return Run(
        rps=rps,
        p50=_millis(re.search(r"\s50%\s+([\d.]+\w+)", output).group(1)),
        p99=_millis(re.search(r"\s99%\s+([\d.]+\w+)", output).group(1)),
        errors=int(errors.group(1)) if errors else 0,
    )


def comments_shown(url: str) -> int:
    return len(set(re.findall(rb'id="comment-(\d+)"', fetch(url)[2])))


def _millis(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


# The benchmark.


class Bench:
    def __init__(self, options):
        self.options = options
        self.seconds = options.seconds
        self.tmp = Path(tempfile.mkdtemp(prefix="masthead-bench-"))
        self.tmp.chmod(0o755)  # nginx's workers read the edge files under it
        self.rows: list[Row] = []
        self.facts: dict[str, str] = {}
        self.load_before = os.getloadavg()
        self.edge_lag: float | None = None
        self.edge_pairs: dict[int, list[tuple[float, float]]] = {}
        self.scale: tuple[int, Row, Row] | None = None
        self.page_times: dict[int, dict] = {}
        print(f"Working in {self.tmp}", flush=True)

    def env(self, var: Path, **extra) -> dict:
        clean = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("MASTHEAD_", "DATABASE_URL", "REDIS_URL"))
        }
        return (
            clean
            | {
                "MASTHEAD_VAR_DIR": str(var),
                "MASTHEAD_SECRET_KEY": "bench-" + "k" * 50,
                "MASTHEAD_ALLOWED_HOSTS": "127.0.0.1,localhost",
                "MASTHEAD_SEARCH_RATE_LIMIT": "0",
                "MASTHEAD_LOG_LEVEL": "WARNING",
                "DJANGO_SETTINGS_MODULE": "masthead.settings",
            }
            | extra
        )

    def masthead(self, env: dict, *args: str) -> None:
        subprocess.run([*MASTHEAD, *args], env=env, cwd=ROOT, check=True)

    def snippet(self, env: dict, code: str) -> dict:
        """Run Python with Django set up against that site; it prints one JSON object."""
        preamble = "import django, json, time\ndjango.setup()\n"
        result = subprocess.run(
            [str(BIN / "python"), "-c", preamble + code],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(result.stdout.strip().splitlines()[-1])

    def make_site(self, env: dict) -> dict:
        self.masthead(env, "migrate", "--noinput", "--verbosity", "0")
        started = time.monotonic()
        self.masthead(env, "generate", "--posts", str(self.options.posts), "--verbosity", "0")
        site = self.snippet(env, SITE)
        self.facts["generate"] = (
            f"{self.options.posts} posts and {SITE_COMMENTS:,} comments "
            f"in {time.monotonic() - started:.1f} s"
        )
        return site

    def serve(self, env: dict, name: str, workers: int = 2) -> str:
        port = free_port()
        start(
            [*MASTHEAD, "serve", "--port", str(port), "--workers", str(workers)],
            env=env,
            log=self.tmp / f"{name}.log",
        )
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/healthz")
        return base

    def measure(self, page: str, setup: str, url: str) -> Row:
        return self.measure_together([(page, setup, url)], rounds=1)[0]

    def measure_together(self, specs: list[tuple[str, str, str]], rounds: int = 2) -> list[Row]:
        """Measure pages in turn, round after round, and average: rows compared with each other
        then share whatever else the machine was doing."""
        rows = [Row(page, setup, self.warm(url)) for page, setup, url in specs]
        totals: dict = {}
        for _ in range(rounds):
            for index, (_, _, url) in enumerate(specs):
                for connections in CONNECTIONS:
                    totals.setdefault((index, connections), []).append(
                        wrk(url, connections, self.seconds)
                    )
        for (index, connections), runs in totals.items():
            rows[index].runs[connections] = Run(
                rps=sum(run.rps for run in runs) / len(runs),
                p50=sum(run.p50 for run in runs) / len(runs),
                p99=max(run.p99 for run in runs),
                errors=sum(run.errors for run in runs),
            )
        for row in rows:
            self.rows.append(row)
            print(format_row(row), flush=True)
        return rows

    def paired(self, first: str, second: str, connections: int) -> list[tuple[float, float]]:
        """Rates of two URLs in short runs side by side: the pairs share what else the machine
        was doing at that moment, which the table's rounds, a row apart, do not."""
        return [
            (wrk(first, connections, PAIR_SECONDS).rps, wrk(second, connections, PAIR_SECONDS).rps)
            for _ in range(PAIRS)
        ]

    def warm(self, url: str) -> str:
        """Fetch until the page comes from the cache (each worker has its own without Redis)."""
        served = "rendered"
        for _ in range(12):
            status, headers, _ = fetch(url)
            if status != 200:
                return f"HTTP {status}"
            served = headers.get("X-Masthead-Cache") or "rendered"
            if served in {"hit", "edge"}:
                break
        return served

    def check_thread(self, url: str, expected: int) -> None:
        """The generated thread is on the page whole: every comment has its anchor."""
        shown = comments_shown(url)
        if shown != expected:
            raise SystemExit(f"{url} shows {shown} comments, not {expected}")

    # Comment POSTs through the whole moderation pipeline.

    def measure_comment_post(self, base: str, urls: dict, setup: str, env: dict) -> Row:
        """POSTs as the post page's htmx form sends them; only 200 (stored, thread returned)
        counts as accepted, and the database says afterwards what was stored."""
        fields, cookie = self.comment_form(base, urls["posting_url"])
        script = self.tmp / "comment-post.lua"
        script.write_text(
            COMMENT_POST.replace("__PATH__", f"/comments/{urls['posting']}/")
            .replace("__COOKIE__", cookie)
            .replace("__FIELDS__", fields)
        )
        row = Row("comment POST through moderation (accepted/s)", setup, "POST, htmx: 200")
        answers: dict[int, int] = {}
        for index, connections in enumerate(CONNECTIONS):
            output = wrk_output(
                base + f"/comments/{urls['posting']}/",
                connections,
                self.seconds,
                [str(script), str(index * 3_000_000)],
            )
            statuses = {
                int(code): int(count)
                for code, count in re.findall(r"^status (\d+) (\d+)$", output, re.M)
            }
            for code, count in statuses.items():
                answers[code] = answers.get(code, 0) + count
            found = re.search(r"Socket errors: .*timeout (\d+)", output)
            timeouts = int(found.group(1)) if found else 0
            answers[0] = answers.get(0, 0) + timeouts
            took = float(re.search(r"requests in ([\d.]+)s", output).group(1))
            run = parse_wrk(output)
            accepted = statuses.get(200, 0)
            refused = sum(statuses.values()) - accepted + timeouts
            row.runs[connections] = Run(accepted / took, run.p50, run.p99, refused)
        self.rows.append(row)
        print(format_row(row), flush=True)
        stored = self.snippet(env, STORED.replace("__POST__", str(urls["posting_id"])))
        self.facts[f"comment POSTs, {setup}"] = (
            "wrk read "
            + ", ".join(
                f"{count:,} × {code or 'no answer within 2 s'}"
                for code, count in sorted(answers.items())
                if count
            )
            + f" over the three runs; in the database afterwards {stored['total']:,} comments "
            + "on that post"
            + (
                " (more than wrk read: requests still in flight when a run stopped)"
                if stored["total"] > answers.get(200, 0)
                else ""
            )
            + ", "
            + ", ".join(f"{count:,} {status}" for status, count in stored["statuses"].items())
            + f" (most common reason: “{stored['reason']}”), from "
            + f"{stored['addresses']:,} addresses"
        )
        print(self.facts[f"comment POSTs, {setup}"], flush=True)
        return row

    def comment_form(self, base: str, page: str) -> tuple[str, str]:
        """One reader's form, loaded as the post page loads it: its CSRF cookie and token, its
        signed timestamp (kept until the pipeline no longer holds it as too quick) and the other
        hidden fields the browser sends back."""
        _, _, html = fetch(base + page)
        slot = re.search(rb'hx-get="(/comments/[^"]+/form/[^"]*)"', html).group(1)
        _, headers, body = fetch(base + slot.decode().replace("&amp;", "&"), {"HX-Request": "true"})
        drawn = time.monotonic()
        cookies = "; ".join(value.split(";", 1)[0] for value in headers.get_all("Set-Cookie") or [])
        hidden = dict(re.findall(rb'<input type="hidden" name="([^"]+)" value="([^"]*)"', body))
        fields = urllib.parse.urlencode(
            {name.decode(): value.decode() for name, value in hidden.items() if name != b"parent"}
            | {"homepage": ""}
        )
        time.sleep(max(0.0, MIN_FORM_SECONDS + 0.5 - (time.monotonic() - drawn)))
        return fields, cookies

    # SQLite: one machine, embedded.

    def sqlite_phase(self) -> None:
        var = self.tmp / "sqlite"
        edge = self.tmp / "edge-sqlite"
        env = self.env(var)
        urls = self.make_site(env)
        self.urls = urls
        cached = self.serve(env | {"MASTHEAD_EDGE_DIR": str(edge)}, "sqlite-cached")
        uncached = self.serve(env | {"MASTHEAD_PAGE_CACHE": "off"}, "sqlite-uncached")
        cold = self.serve(
            env | {"MASTHEAD_PAGE_CACHE": "off", "MASTHEAD_THREAD_CACHE_SECONDS": "0"},
            "sqlite-cold",
        )
        setup, setup_off = "SQLite, 2 workers, cache on", "SQLite, 2 workers, cache off"
        setup_cold = f"{setup_off}, thread rendered too"
        self.check_thread(uncached + urls["seventeen"], 17)
        self.facts["pages with comments"] = (
            f"the 17-comment page is {len(fetch(uncached + urls['seventeen'])[2]):,} bytes; "
            f"the 500-comment page is {len(fetch(uncached + urls['five_hundred'])[2]):,} bytes "
            f"and shows {comments_shown(uncached + urls['five_hundred'])} of its comments (its "
            "first page of threads, with their replies)"
        )
        self.measure("post page, 17 comments", setup, cached + urls["seventeen"])
        self.measure("post page, 17 comments", setup_off, uncached + urls["seventeen"])
        self.measure("post page, 500 comments", setup_off, uncached + urls["five_hundred"])
        self.measure("post page, 17 comments", setup_cold, cold + urls["seventeen"])
        self.measure("post page, 500 comments", setup_cold, cold + urls["five_hundred"])
        self.measure("post page (comments closed)", setup_off, uncached + urls["closed"])
        self.measure("front page", setup, cached + "/")
        self.measure("front page", setup_off, uncached + "/")
        self.measure(
            f"search for a place ({urls['matches']} posts match)",
            setup,
            cached + f"/search/?q={urls['place']}",
        )
        self.measure_comment_post(cached, urls, "SQLite, 2 workers", env)
        page = fetch(cached + urls["closed"])[2]
        page_file = self.tmp / "page.html"
        page_file.write_bytes(page)
        self.facts["page"] = f"{len(page):,} bytes (the post page with comments closed)"
        nginx = self.nginx(
            edge, upstreams=[cached], static_root=var / "static", page_file=page_file
        )
        bare = self.bare(page_file)
        # Five rounds here, not two: past 100,000 requests a second on two cores shared with
        # wrk, one round of a row moved by a tenth and more against the next (the edge in
        # 3-second rounds, each beside the static file: 85k to 117k requests/s at 16 connections).
        self.measure_together(
            [
                ("post page (comments closed)", setup, cached + urls["closed"]),
                ("same bytes, from memory", "bare WSGI app, granian, 2 workers", bare),
                ("same bytes, static file", "nginx", nginx["static"] + "/page.html"),
                (
                    "same bytes, static file",
                    "nginx, with the edge's open_file_cache",
                    nginx["static_cached"] + "/page.html",
                ),
                (
                    "post page (comments closed)",
                    "edge publishing: nginx + edge file",
                    nginx["site"] + urls["closed"],
                ),
            ],
            rounds=5,
        )
        self.edge_pairs = {
            connections: self.paired(
                nginx["static"] + "/page.html", nginx["site"] + urls["closed"], connections
            )
            for connections in (16, 64)
        }
        self.facts["edge against the static file, in pairs"] = "; ".join(
            f"{pair_share(pairs):.1%} at {connections} connections (each pair's share from "
            f"{min(e / s for s, e in pairs):.0%} to {max(e / s for s, e in pairs):.0%})"
            for connections, pairs in self.edge_pairs.items()
        ) + (
            f": the rates of {PAIRS} alternating {PAIR_SECONDS}-second runs of each, "
            "the static file first"
        )
        print(self.facts["edge against the static file, in pairs"], flush=True)
        self.measure("front page", "edge publishing: nginx + edge file", nginx["site"] + "/")
        stop_all()
        STARTED.clear()

    def nginx(
        self, edge: Path, *, upstreams: list[str], static_root: Path, page_file: Path | None = None
    ) -> dict:
        """The configuration from docs/deploy.md, on temporary paths and ports."""
        edge.mkdir(parents=True, exist_ok=True)
        block, headers = re.findall(r"```nginx\n(.*?)```", DEPLOY.read_text(), re.S)[:2]
        site_port, static_port, cached_port = free_port(), free_port(), free_port()
        ports = [url.rsplit(":", 1)[1] for url in upstreams]
        block = block.replace("server 127.0.0.1:8001;", f"server 127.0.0.1:{ports[0]};")
        block = block.replace("server 127.0.0.1:8002;", f"server 127.0.0.1:{ports[-1]};")
        block = block.replace("listen 80;", f"listen 127.0.0.1:{site_port};")
        block = block.replace("/srv/masthead/edge", str(edge))
        block = block.replace("/srv/masthead/var/static/", f"{static_root}/")
        block = block.replace("/srv/masthead/var/media/", f"{static_root.parent / 'media'}/")
        static_server = ""
        if page_file is not None:
            # The same file plain, and with the file cache the edge location uses, if any.
            file_cache = " ".join(re.findall(r"^\s*(open_file_cache\w* [^;]*;)", block, re.M))
            static_server = "\n".join(
                f"server {{ listen 127.0.0.1:{port}; root {page_file.parent}; "
                f"tcp_nopush off; {extra} location / {{ }} }}"
                for port, extra in ((static_port, ""), (cached_port, file_cache))
            )
        directory = self.tmp / f"nginx-{site_port}"
        directory.mkdir()
        (directory / "masthead-edge.conf").write_text(headers)
        block = block.replace(
            "/etc/nginx/snippets/masthead-edge.conf", str(directory / "masthead-edge.conf")
        )
        config = directory / "nginx.conf"
        config.write_text(
            "pcre_jit on;\n"  # as docs/deploy.md asks, outside every block
            f"worker_processes 2;\npid {directory}/nginx.pid;\nerror_log {directory}/error.log;\n"
            "user root;\nevents { worker_connections 4096; }\n"
            "http {\n include /etc/nginx/mime.types;\n default_type application/octet-stream;\n"
            " access_log off;\n sendfile on;\n tcp_nopush off;\n keepalive_requests 1000000;\n"
            f" client_body_temp_path {directory}/body;\n proxy_temp_path {directory}/proxy;\n"
            f" fastcgi_temp_path {directory}/fastcgi;\n uwsgi_temp_path {directory}/uwsgi;\n"
            f" scgi_temp_path {directory}/scgi;\n"
            f"{block}\n{static_server}\n}}\n"
        )
        subprocess.run(["nginx", "-t", "-q", "-c", str(config)], check=True)
        start(
            ["nginx", "-c", str(config), "-g", "daemon off;"],
            env=dict(os.environ),
            log=directory / "out.log",
        )
        site = f"http://127.0.0.1:{site_port}"
        wait_for(site + "/healthz")
        return {
            "site": site,
            "static": f"http://127.0.0.1:{static_port}",
            "static_cached": f"http://127.0.0.1:{cached_port}",
        }

    def bare(self, page_file: Path) -> str:
        port = free_port()
        env = dict(os.environ) | {"BENCH_PAGE_FILE": str(page_file)}
        start(
            [
                str(BIN / "granian"),
                "--interface",
                "wsgi",
                "--workers",
                "2",
                "--blocking-threads",
                "4",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-ws",
                "bare_wsgi:app",
            ],
            env=env,
            log=self.tmp / "bare.log",
            cwd=ROOT / "bench",
        )
        url = f"http://127.0.0.1:{port}/"
        wait_for(url)
        return url

    # PostgreSQL + Redis: the scale-out shape.

    def postgres_phase(self) -> None:
        subprocess.run([str(ROOT / "scripts" / "services")], check=True, capture_output=True)
        name = self.options.database
        self.psql(f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}")
        redis_url = self.options.redis_url
        self.clear_redis(redis_url)
        var, edge = self.tmp / "postgres", self.tmp / "edge-postgres"
        env = self.env(
            var, DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{name}", REDIS_URL=redis_url
        )
        urls = self.make_site(env)
        # The site as generated, kept aside: its page time is measured beside the grown one's.
        self.psql(
            f"DROP DATABASE IF EXISTS {name}_small", f"CREATE DATABASE {name}_small TEMPLATE {name}"
        )
        off = env | {"MASTHEAD_PAGE_CACHE": "off"}
        one = self.serve(off, "pg-uncached-1", workers=1)
        two = self.serve(off, "pg-uncached-2", workers=1)
        spread = self.nginx(
            self.tmp / "edge-unused", upstreams=[one, two], static_root=var / "static"
        )
        alone = self.nginx(self.tmp / "edge-unused-1", upstreams=[one], static_root=var / "static")
        setup = "PostgreSQL + Redis"
        # In turn and averaged, like every other pair of rows compared: with one run of each,
        # the ratio moved by more than a tenth from one bench to the next. One process is
        # measured behind the same nginx as two, so that only the number of processes differs,
        # and without it, for what nginx itself costs.
        direct, single, both = self.measure_together(
            [
                (
                    "post page (comments closed)",
                    f"{setup}, 1 process, cache off",
                    one + urls["closed"],
                ),
                (
                    "post page (comments closed)",
                    f"{setup}, 1 process behind nginx, cache off",
                    alone["site"] + urls["closed"],
                ),
                (
                    "post page (comments closed)",
                    f"{setup}, 2 processes behind nginx, cache off",
                    spread["site"] + urls["closed"],
                ),
            ]
        )

        def over(base: Row) -> str:
            return " / ".join(
                f"{both.runs[c].rps / base.runs[c].rps:.2f}x at {c}"
                for c in CONNECTIONS
                if base.runs[c].rps
            )

        self.facts["scale-out"] = (
            f"{over(single)} (both behind nginx); against one process without nginx {over(direct)}"
        )
        self.check_thread(one + urls["seventeen"], 17)
        small = self.measure(
            f"post page, 17 comments; {SITE_COMMENTS:,} comments in the database",
            f"{setup}, 1 process, cache off",
            one + urls["seventeen"],
        )
        self.measure(
            "post page, 500 comments", f"{setup}, 1 process, cache off", one + urls["five_hundred"]
        )
        stop_all()
        STARTED.clear()
        cached_env = env | {"MASTHEAD_EDGE_DIR": str(edge)}
        first = self.serve(cached_env, "pg-cached-1", workers=1)
        second = self.serve(cached_env, "pg-cached-2", workers=1)
        front = self.nginx(edge, upstreams=[first, second], static_root=var / "static")
        self.measure(
            "post page (comments closed)", f"{setup}, 1 process, cache on", first + urls["closed"]
        )
        self.measure(
            "post page (comments closed)",
            "edge publishing: nginx + edge file",
            front["site"] + urls["closed"],
        )
        self.purge_across_processes(cached_env, urls, first, second, front["site"])
        self.comment_at_edge(cached_env, urls, front["site"])
        self.measure_comment_post(
            front["site"], urls, f"{setup}, 2 processes behind nginx", cached_env
        )
        stop_all()
        STARTED.clear()
        self.at_scale(env, urls, small)
        stop_all()
        STARTED.clear()
        # The grown database is most of a gigabyte, and the next run makes its own.
        self.psql(f"DROP DATABASE IF EXISTS {name}_small", f"DROP DATABASE IF EXISTS {name}")
        self.clear_redis(redis_url)

    def psql(self, *statements: str, database: str = "postgres") -> None:
        for statement in statements:
            subprocess.run(
                [
                    "psql",
                    "-q",
                    "-h",
                    "127.0.0.1",
                    "-U",
                    "postgres",
                    "-d",
                    database,
                    "-c",
                    statement,
                ],
                check=True,
            )

    def comment_at_edge(self, env, urls, edge_site) -> None:
        """A guest's comment, held as their first, approved by a moderator in another process:
        how long until readers of the edge file see it."""
        url = urls["fresh"]
        for _ in range(4):
            fetch(edge_site + url)
        before = fetch(edge_site + url)[1].get("X-Masthead-Cache", "edge?")
        words = f"Seen at the edge {time.time():.0f}"
        log = self.tmp / "approve.log"
        approve = start(
            [str(BIN / "python"), "-c", APPROVE.replace("__POST__", str(urls["fresh_id"]))],
            env=env | {"BENCH_WORDS": words},
            log=log,
        )
        seen = None
        deadline = time.monotonic() + 30
        while seen is None and time.monotonic() < deadline:
            if words.encode() in fetch(edge_site + url)[2]:
                seen = time.time()
            time.sleep(0.005)
        approve.wait(timeout=30)
        held, approved = (line.split() for line in log.read_text().splitlines()[-2:])
        began, committed = float(approved[1]), float(approved[2])
        lag = "not within 30 s" if seen is None else f"{1000 * (seen - began):.0f} ms"
        self.facts["comment at the edge"] = (
            f"before, the page was served as `{before}`; the comment was held ({held[1]}), then "
            f"approved through another process (the approval took {1000 * (committed - began):.0f}"
            f" ms); readers of the edge saw it {lag} after the approval began"
        )
        self.edge_lag = None if seen is None else seen - began
        print(self.facts["comment at the edge"], flush=True)

    def at_scale(self, env, urls, small: Row) -> None:
        """Grow the comments table (not the measured post's thread) and measure that page again."""
        named = json.dumps(urls["named"])
        started = time.monotonic()
        grow = GROW.replace("__TARGET__", str(self.options.scale_comments))
        grow = grow.replace("__SECONDS__", str(self.options.scale_minutes * 60))
        subprocess.run(
            [str(BIN / "python"), "-c", grow.replace("__NAMED__", named)],
            env=env,
            cwd=ROOT,
            check=True,
        )
        grown = time.monotonic() - started
        started = time.monotonic()
        # VACUUM as well: a bulk load this size sets off autovacuum, which would otherwise run
        # during the measurement; a table that grew over years has long been vacuumed.
        self.psql("VACUUM ANALYZE", database=self.options.database)
        analyzed = time.monotonic() - started
        self.psql("VACUUM ANALYZE", database=f"{self.options.database}_small")
        total = self.snippet(
            env,
            "from masthead.discussion.models import Comment\n"
            "print(json.dumps({'total': Comment.objects.count()}))",
        )["total"]
        short = total < self.options.scale_comments
        self.facts["growth"] = (
            f"comments grown to {total:,} in {grown:.0f} s with comments_generate "
            f"(bulk inserts), then VACUUM ANALYZE in {analyzed:.1f} s"
            + (
                f"; stopped at the {self.options.scale_minutes:g}-minute limit short of "
                f"{self.options.scale_comments:,}"
                if short
                else ""
            )
        )
        off = env | {"MASTHEAD_PAGE_CACHE": "off"}
        one = self.serve(off, "pg-scale", workers=1)
        self.check_thread(one + urls["seventeen"], 17)
        large = self.measure(
            f"post page, 17 comments; {total:,} comments in the database",
            small.setup,
            one + urls["seventeen"],
        )
        # Render by render, the two sizes in turn: measured minutes apart, the machine's drift
        # moved the ratio between 0.9x and 1.4x from one bench to the next, and in rounds of 200
        # renders seconds apart it still read 1.21x on two databases that pairs put at 0.97x.
        small_env = env | {"DATABASE_URL": f"{env['DATABASE_URL']}_small"}
        self.page_times = self.page_times_paired(
            {SITE_COMMENTS: small_env, total: env}, urls["seventeen"]
        )
        self.scale = (total, small, large)
        self.facts["page time in process"] = (
            f"one process on the site as generated and one on the grown site, rendering in turn, "
            f"{PAGE_TIME_RENDERS} renders each; "
            + "; ".join(
                f"{count:,} comments: {found['median']:.2f} ms (by thirds: "
                + ", ".join(f"{m:.2f}" for m in found["thirds"])
                + f"), {found['queries']} queries, reading discussion_comment by "
                + (", ".join(found["scans"]) or "nothing")
                for count, found in self.page_times.items()
            )
        )

    def page_times_paired(self, envs: dict[int, dict], url: str) -> dict[int, dict]:
        """Uncached renders in one thread per database, one render of each in turn (which goes
        first alternates), so that both meet the same moment of the machine; the median of each,
        the medians of its thirds, and how its queries read comments."""
        renderers = {}
        for count, env in envs.items():
            env = env | {"MASTHEAD_PAGE_CACHE": "off", "MASTHEAD_ALLOWED_HOSTS": "testserver"}
            renderers[count] = subprocess.Popen(
                [str(BIN / "python"), "-c", PAGE_TIME.replace("__PAGE__", repr(url))],
                env=env,
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
        found = {count: json.loads(_answer(count, r)) for count, r in renderers.items()}
        times: dict[int, list[float]] = {count: [] for count in renderers}
        order = list(renderers.items())
        for turn in range(PAGE_TIME_RENDERS):
            for count, renderer in order if turn % 2 == 0 else order[::-1]:
                renderer.stdin.write("\n")
                renderer.stdin.flush()
                times[count].append(float(_answer(count, renderer)))
        for renderer in renderers.values():
            renderer.stdin.close()
            renderer.wait(timeout=30)
        third = PAGE_TIME_RENDERS // 3
        return {
            count: found[count]
            | {
                "median": statistics.median(taken),
                "thirds": [statistics.median(taken[i * third : (i + 1) * third]) for i in range(3)],
            }
            for count, taken in times.items()
        }

    def purge_across_processes(self, env, urls, first, second, edge_site) -> None:
        url = urls["closed"]
        for base in (first, second, edge_site, first, second, edge_site):
            fetch(base + url)
        before = [
            fetch(base + url)[1].get("X-Masthead-Cache", "edge?")
            for base in (first, second, edge_site)
        ]
        title = f"Edited for the bench at {time.time():.0f}"
        edit = start(
            [
                str(BIN / "python"),
                "-c",
                "import django, time\ndjango.setup()\n"
                "from masthead.publishing import services\n"
                "from masthead.publishing.models import Post\n"
                f"post = Post.objects.get(pk={urls['closed_id']})\npost.title = {title!r}\n"
                "services.post_save(post=post)\nprint(time.time(), flush=True)",
            ],
            env=env,
            log=self.tmp / "edit.log",
        )
        seen: dict[str, float] = {}
        deadline = time.monotonic() + 30
        while len(seen) < 3 and time.monotonic() < deadline:
            for name, base in (
                ("other process", second),
                ("edge", edge_site),
                ("same process", first),
            ):
                if name not in seen and title.encode() in fetch(base + url)[2]:
                    seen[name] = time.time()
            time.sleep(0.005)
        edit.wait(timeout=30)
        committed = float((self.tmp / "edit.log").read_text().split()[-1])
        lags = ", ".join(
            f"{name} {1000 * (at - committed):.0f} ms" for name, at in sorted(seen.items())
        )
        self.facts["purge"] = (
            f"before the edit all three served from cache ({', '.join(before)}); after the commit "
            f"the edited title appeared: {lags or 'nowhere within 30 s'}"
        )

    def clear_redis(self, url: str) -> None:
        database = url.rsplit("/", 1)[-1] or "0"
        keys = subprocess.run(
            ["redis-cli", "-n", database, "--scan", "--pattern", "masthead:*"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.split()
        for chunk in range(0, len(keys), 500):
            subprocess.run(
                ["redis-cli", "-n", database, "del", *keys[chunk : chunk + 500]],
                capture_output=True,
                check=False,
            )

    # Where the uncached page's time goes.

    def profile_uncached(self) -> None:
        env = self.env(
            self.tmp / "sqlite", MASTHEAD_PAGE_CACHE="off", MASTHEAD_ALLOWED_HOSTS="testserver"
        )
        code = PROFILE.replace("__PAGE__", repr(self.urls["seventeen"]))
        result = subprocess.run(
            [str(BIN / "python"), "-c", code],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        self.profile = result.stdout.strip()

    def report(self) -> None:
        text = render_report(self)
        DOC.write_text(text)
        print("\n" + text)
        print(f"Written to {DOC.relative_to(ROOT)}")
        shutil.rmtree(self.tmp, ignore_errors=True)


# The posts the benchmark uses: 17 comments, closed, 500 comments, the one comment POSTs go to,
# the one a comment is approved on; SITE_COMMENTS in all, the rest spread over other posts.
SITE = f"""
from masthead.discussion.generate import comments_generate
from masthead.publishing.management.commands.generate import PLACES
from masthead.publishing.models import Post
posts = list(Post.objects.published()[:5])
seventeen, closed, five_hundred, posting, fresh = posts
Post.objects.filter(pk=closed.pk).update(is_comments_open=False)
comments_generate(post_ids=[seventeen.pk], count=17, seed=1)
comments_generate(post_ids=[five_hundred.pk], count=500, seed=2)
rest = Post.objects.exclude(pk__in=[p.pk for p in posts]).values_list("pk", flat=True)
comments_generate(post_ids=[posting.pk], count=17, seed=4)
comments_generate(post_ids=list(rest), count={SITE_COMMENTS} - 534, seed=3)
matches = Post.objects.filter(body__startswith=PLACES[0].upper() + " ").count()
print(json.dumps({{
    "seventeen": seventeen.get_absolute_url(), "seventeen_id": seventeen.pk,
    "closed": closed.get_absolute_url(), "closed_id": closed.pk,
    "five_hundred": five_hundred.get_absolute_url(),
    "posting": posting.slug, "posting_id": posting.pk, "posting_url": posting.get_absolute_url(),
    "fresh": fresh.get_absolute_url(), "fresh_id": fresh.pk,
    "named": [p.pk for p in posts], "place": PLACES[0], "matches": matches,
}}))
"""

# A guest's comment held as their first, then approved by a moderator (bench: comment_at_edge).
APPROVE = """
import os, time, django
django.setup()
from masthead.discussion import services
from masthead.discussion.pipeline import SubmissionContext
from masthead.moderation.services import comment_moderate
from masthead.publishing.models import Post
post = Post.objects.get(pk=__POST__)
context = SubmissionContext(post=post, ip_address="192.0.2.7", form_age_seconds=30.0)
comment = services.comment_submit(
    post=post, body=os.environ["BENCH_WORDS"], name="Edge Reader", email="edge@example.org",
    context=context,
)
print("held", comment.status, flush=True)
time.sleep(0.5)
began = time.time()
comment_moderate(comment_id=comment.pk, action="approve", actor=None)
print("approved", began, time.time(), flush=True)
"""

# More comments, in steps, spread over every post but the ones the benchmark measures.
GROW = """
import time, django
django.setup()
from masthead.discussion.generate import comments_generate
from masthead.discussion.models import Comment
from masthead.publishing.models import Post
target, deadline = __TARGET__, time.monotonic() + __SECONDS__
posts = list(Post.objects.exclude(pk__in=__NAMED__).values_list("pk", flat=True))
have = first = Comment.objects.count()
started = time.monotonic()
while have < target and time.monotonic() < deadline:
    have += comments_generate(post_ids=posts, count=min(100_000, target - have), seed=have)
    rate = (have - first) / (time.monotonic() - started)
    print(f"  {have:,} comments in the database ({rate:,.0f} inserted per second)", flush=True)
"""

# Comments on the POSTed-to post, by status, as the benchmark found them.
STORED = """
from django.db.models import Count
from masthead.discussion.models import Comment
made = Comment.objects.filter(post_id=__POST__)
statuses = dict(made.order_by().values_list("status").annotate(n=Count("pk")))
reasons = made.order_by().values_list("status_reason").annotate(n=Count("pk")).order_by("-n")
print(json.dumps({
    "total": made.count(), "statuses": statuses, "reason": reasons[0][0] if reasons else "",
    "addresses": made.order_by().values("ip_address").distinct().count(),
}))
"""

# wrk's script for comment POSTs (see measure_comment_post): every request is a new reader
# (name, e-mail, X-Forwarded-For address) with new words, all on one form's CSRF token and
# signed timestamp. The first argument keeps runs apart.
COMMENT_POST = r"""
local path, cookie, fields = "__PATH__", "__COOKIE__", "__FIELDS__"
local words = {"the", "council", "vote", "was", "rushed", "and", "harbour", "deserves",
  "better", "scrutiny", "than", "this", "budget", "ferry", "fares", "rising", "while",
  "consortium", "says", "nothing", "about", "pensions", "minutes", "show", "quay", "tide"}
local threads = {}

function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

function init(args)
  first = tonumber(args[1]) + thread_index * 1000000
  sent = 0
  statuses = {}
end

function request()
  sent = sent + 1
  local n = first + sent
  local a = n % 16777216
  local address = string.format("10.%d.%d.%d", math.floor(a / 65536), math.floor(a / 256) % 256,
    a % 256)
  local text, m = {}, n
  for i = 1, 14 do
    text[i] = words[m % #words + 1]
    m = math.floor(m / 3) + i * 7
  end
  local body = fields .. "&name=Reader+" .. n .. "&email=new-reader" .. n .. "%40example.net"
    .. "&body=" .. table.concat(text, "+") .. "+" .. n
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = cookie,
    ["HX-Request"] = "true",
    ["X-Forwarded-For"] = address,
  }, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  for status, count in pairs(total) do
    io.write(string.format("status %d %d\n", status, count))
  end
end
"""

# Page time without wrk: the median uncached render in one thread, and the plans of its queries
# that read comments (an index keeps the page's time from growing with the table).
PAGE_TIME = r"""
import json, sys, time
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client, url = Client(), __PAGE__
for _ in range(10):
    assert client.get(url).status_code == 200
with CaptureQueriesContext(connection) as captured:
    client.get(url)
scans = set()
with connection.cursor() as cursor:
    for query in captured.captured_queries:
        if "discussion_comment" not in query["sql"]:
            continue
        cursor.execute("EXPLAIN (FORMAT JSON) " + query["sql"])
        plans = [cursor.fetchone()[0][0]["Plan"]]
        while plans:
            plan = plans.pop()
            plans += plan.get("Plans", [])
            index = plan.get("Index Name", "")
            if plan.get("Relation Name") == "discussion_comment" and not index:
                scans.add(plan["Node Type"])
            elif index.startswith(("comment_", "discussion_comment")):
                scans.add(f"{plan['Node Type']} ({index})")
print(json.dumps({"queries": len(captured.captured_queries), "scans": sorted(scans)}), flush=True)
for _ in sys.stdin:  # one render per line asked for, its time in ms answered
    started = time.perf_counter()
    client.get(url)
    print(1000 * (time.perf_counter() - started), flush=True)
"""

PROFILE = r"""
import cProfile, io, pstats, time, django
django.setup()
from django.test import Client
client, url = Client(), __PAGE__
for _ in range(5):
    assert client.get(url).status_code == 200
count = 50
started = time.perf_counter()
for _ in range(count):
    client.get(url)
per = (time.perf_counter() - started) / count * 1000
profile = cProfile.Profile()
profile.enable()
for _ in range(20):
    client.get(url)
profile.disable()
stats = pstats.Stats(profile)
total = sum(row[2] for row in stats.stats.values())
def share(fragment):
    return sum(row[2] for key, row in stats.stats.items() if fragment in key[0])
parts = {
    "Django templates (rendering)": share("django/template/"),
    "database (ORM and driver)": share("django/db/"),
    "URL reversing": share("django/urls/"),
}
print(f"In-process, Django test client, one thread: {per:.1f} ms per uncached render"
      " of the post page with 17 comments.")
print("Own time (tottime) by area, share of the profiled total:")
for name, value in parts.items():
    print(f"- {name}: {100 * value / total:.0f}%")
out = io.StringIO()
pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(12)
lines = [line for line in out.getvalue().splitlines() if line.strip()]
start = next(i for i, line in enumerate(lines) if "ncalls" in line)
print("\nTop functions by own time:\n")
print("```")
here = str(__import__("pathlib").Path.cwd())
print("\n".join(line.replace(here, ".")[:150] for line in lines[start:start + 13]))
print("```")
"""


def _answer(count: int, renderer: subprocess.Popen) -> str:
    """A page-time renderer's next line; a renderer that stopped has printed its error."""
    line = renderer.stdout.readline()
    if not line:
        raise SystemExit(f"The page-time renderer on {count:,} comments stopped")
    return line


def pair_share(pairs: list[tuple[float, float]]) -> float:
    """The second URL's rate as a share of the first's, over all the pairs."""
    return sum(second for _, second in pairs) / sum(first for first, _ in pairs)


def format_row(row: Row) -> str:
    cells = " ".join(
        f"c{c}: {r.rps:,.0f}/s p50 {r.p50:.1f} p99 {r.p99:.1f}" for c, r in row.runs.items()
    )
    return f"{row.page} | {row.setup} | {row.served} | {cells or row.served}"


def machine() -> str:
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"


def versions() -> str:
    def version(package):
        try:
            from importlib.metadata import version as found

            return found(package)
        except Exception:
            return "?"

    nginx = subprocess.run(["nginx", "-v"], capture_output=True, text=True, check=False)
    wrk_line = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    configured = " ".join(
        argument
        for argument in (sysconfig.get_config_var("CONFIG_ARGS") or "").replace("'", "").split()
        if argument.startswith("--") and "=" not in argument
    )
    return (
        f"Python {platform.python_version()} (configured with {configured or 'no options'}; "
        "`make bench-interpreter` compares it with the machine's other Pythons), "
        f"Django {version('django')}, "
        f"granian {version('granian')}, {nginx.stderr.strip().replace('nginx version: ', '')}, "
        f"{(wrk_line.stdout or wrk_line.stderr).split(' [')[0].strip()}"
    )


def _cell(run: Run | None) -> list[str]:
    if run is None:
        return ["", "", ""]
    rps = f"{run.rps:,.0f}" + (f" ({run.errors} errors)" if run.errors else "")
    return [rps, f"{run.p50:.1f}", f"{run.p99:.1f}"]


def render_report(bench: Bench) -> str:
    header = ["page", "setup", "served as"]
    for connections in CONNECTIONS:
        header += [f"req/s @{connections}", "p50 ms", "p99 ms"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in bench.rows:
        cells = [row.page, row.setup, row.served]
        for connections in CONNECTIONS:
            cells += _cell(row.runs.get(connections))
        lines.append("| " + " | ".join(cells) + " |")
    load = " / ".join(f"{value:.2f}" for value in bench.load_before)
    after = " / ".join(f"{value:.2f}" for value in os.getloadavg())
    facts = "\n".join(f"- {name}: {value}" for name, value in bench.facts.items())
    return f"""# Benchmarks

Written by `make bench-pages` (bench/pages.py); run it again to refresh this page.

- Date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC
- Machine: {machine()}
- Software: {versions()}
- Load average before the run: {load}, after: {after} (other work on the machine makes every
  figure noisy; compared rows are measured in turn over two rounds, five for the static
  file, the bare worker and the edge, and averaged)
- wrk on the same machine over loopback, {bench.seconds} s per cell, 2 wrk threads
  (1 at one connection)
{facts}

"served as": `hit` from the page cache, `miss` rendered and stored, `rendered` with the cache
off, `edge` a file nginx served without asking Masthead. "Cache off" turns off the page cache
only: the rendered discussion under a post stays cached on its marker
(`MASTHEAD_THREAD_CACHE_SECONDS`), as it is in production.

Comment POSTs are what the post page's htmx form sends, each one through the whole moderation
pipeline; their req/s counts only accepted comments (HTTP 200, the thread sent back), and
anything else is counted as an error. Every request is a new reader: a new name, e-mail address
and words, and a new `X-Forwarded-For` address (the app trusts that header from the proxy on
127.0.0.1), so that the per-address limit of 5 comments in 10 minutes and the duplicate check
are not what is measured. All use one form's CSRF token and signed timestamp, sent once the form
is older than the pipeline's 3-second minimum. As the default policy says, a first comment is
held for moderation: the figures are for comments stored as pending. On PostgreSQL a new
comment is answered before PostgreSQL has flushed it to disk, as by default
(`MASTHEAD_DB_DURABLE_COMMENTS`, docs/operations.md, "Durability").

{chr(10).join(lines)}

## Where an uncached page's time goes

{bench.profile}

## Targets

{targets(bench)}
"""


def _find(bench, page, setup) -> Row | None:
    return next(
        (
            row
            for row in bench.rows
            if row.page == page and row.setup.startswith(setup) and row.runs
        ),
        None,
    )


def _verdict(held: bool) -> str:
    return "holds" if held else "does not hold"


def targets(bench: Bench) -> str:
    lines = []
    for page, target in (("post page, 17 comments", 700), ("post page, 500 comments", 150)):
        row = _find(bench, page, "SQLite, 2 workers, cache off")
        if row:
            run = row.runs[16]
            held = run.rps >= target and (target != 700 or run.p99 < 50)
            limit = ", p99 under 50 ms" if target == 700 else ""
            cold = _find(bench, page, "SQLite, 2 workers, cache off, thread rendered too")
            also = (
                f"; with its thread rendered on every request too, {cold.runs[16].rps:,.0f} req/s"
                if cold
                else ""
            )
            lines.append(
                f"- Uncached {page} at 16 connections: {run.rps:,.0f} req/s, p99 "
                f"{run.p99:.1f} ms (target {target} req/s{limit}): {_verdict(held)}{also}."
            )
    cached = _find(bench, "post page (comments closed)", "SQLite, 2 workers, cache on")
    bare = _find(bench, "same bytes, from memory", "bare")
    if cached and bare:
        ratio = cached.runs[16].rps / bare.runs[16].rps
        lines.append(
            f"- From the page cache through Python: {ratio:.0%} of the bare WSGI worker's rate "
            f"at 16 connections (target 50%): {_verdict(ratio >= 0.5)}."
        )
    edge = _find(bench, "post page (comments closed)", "edge publishing")
    static = _find(bench, "same bytes, static file", "nginx")
    cached_static = _find(bench, "same bytes, static file", "nginx, with the edge's")
    if bench.edge_pairs:
        ratio = min(pair_share(pairs) for pairs in bench.edge_pairs.values())
        line = (
            f"- Edge publishing: {ratio:.1%} of nginx's static rate for the same bytes (worst of "
            f"16 and 64 connections, from {PAIRS} pairs of runs side by side; target 90%): "
            f"{_verdict(ratio >= 0.9)}"
        )
        if edge and static:
            rounds = min(edge.runs[c].rps / static.runs[c].rps for c in (16, 64))
            line += f"; in the table's rounds, {rounds:.1%}"
        if edge and cached_static:
            same = min(edge.runs[c].rps / cached_static.runs[c].rps for c in (16, 64))
            line += f"; {same:.0%} of a static file served with the same open_file_cache"
        lines.append(line + ".")
    if bench.edge_lag is not None or "comment at the edge" in bench.facts:
        held = bench.edge_lag is not None and bench.edge_lag < 1
        lines.append(
            f"- A newly approved comment at the edge within 1 s: {_verdict(held)} "
            f"({bench.facts.get('comment at the edge', 'not measured')})."
        )
    for name in ("SQLite, 2 workers", "PostgreSQL + Redis, 2 processes behind nginx"):
        row = _find(bench, "comment POST through moderation (accepted/s)", name)
        if row:
            run = row.runs[16]
            lines.append(
                f"- Comment POST through the pipeline, {name}, 16 connections: {run.rps:,.0f} "
                f"accepted/s (target 430/s): {_verdict(run.rps >= 430)}."
            )
    if bench.scale:
        total, small, large = bench.scale
        before, after = bench.page_times[SITE_COMMENTS], bench.page_times[total]
        ratio = after["median"] / before["median"]
        lines.append(
            f"- Page time with {total:,} comments in the database against {SITE_COMMENTS:,} "
            f"(uncached 17-comment page, PostgreSQL, in process, the median of "
            f"{PAGE_TIME_RENDERS} renders each, one of each database in turn): "
            f"{after['median']:.2f} ms against {before['median']:.2f} ms, {ratio:.2f}x; through "
            f"granian, p50 at 1 connection {large.runs[1].p50 / small.runs[1].p50:.2f}x and "
            f"rate at 16 connections {large.runs[16].rps / small.runs[16].rps:.2f}x "
            f"(target within 20%): {_verdict(ratio <= 1.2)}"
            + ("" if total >= 1_000_000 else f" (measured at {total:,}, not 1,000,000)")
            + "."
        )
    if "scale-out" in bench.facts:
        lines.append(
            "- Scale-out, two processes over one (uncached, PostgreSQL + Redis, target 1.7x): "
            f"{bench.facts['scale-out']}."
        )
    if "purge" in bench.facts:
        lines.append(f"- A purge through one process: {bench.facts['purge']} (target: within 1 s).")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
