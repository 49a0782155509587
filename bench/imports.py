"""Import benchmark: a generated WordPress export of 16,500 posts and 500,000 comments, imported
into a fresh SQLite database and a fresh PostgreSQL database, each in its own process.

Prints wall time, items per second and peak memory (the importer's resident set size), the
figures the importer promises: under 10 minutes and under 300 MB on each database.

    python bench/imports.py [--posts N] [--comments M]
"""

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from masthead.importers.generate import write_wxr  # noqa: E402

PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
PG_NAME = "masthead_bench_import"


def _environment(var_dir: Path, database_url: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MASTHEAD_", "DATABASE_URL"))}
    env["MASTHEAD_VAR_DIR"] = str(var_dir)
    env.pop("REDIS_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _run(env, *args) -> tuple[float, float]:
    """Run one masthead command; return wall seconds and that child's peak RSS in MB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.monotonic()
    subprocess.run(  # noqa: S603 (our own interpreter and command)
        [sys.executable, "-m", "masthead.cli", *args], env=env, check=True, cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    elapsed = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before) / 1024


def _fresh_postgres() -> str:
    with psycopg.connect(PG_ADMIN, autocommit=True) as pg:
        pg.execute(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')
        pg.execute(f'CREATE DATABASE "{PG_NAME}"')
    return f"postgres://postgres@127.0.0.1:5432/{PG_NAME}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=16_500)
    parser.add_argument("--comments", type=int, default=500_000)
    options = parser.parse_args()
    items = options.posts + options.comments
    rows = []
    with tempfile.TemporaryDirectory(prefix="masthead-import-bench-") as scratch:
        export = Path(scratch) / "site.xml"
        with open(export, "w") as out:
            write_wxr(out, posts=options.posts, comments=options.comments)
        size = export.stat().st_size / 1e6
        print(f"Export: {options.posts:,} posts, {options.comments:,} comments, {size:.0f} MB")
        for label, url in (("SQLite", None), ("PostgreSQL", _fresh_postgres())):
            env = _environment(Path(scratch) / label.lower(), url)
            _run(env, "migrate", "--noinput")
            seconds, peak = _run(env, "import", "wordpress", str(export))
            again, _ = _run(env, "import", "wordpress", str(export))
            rows.append((label, seconds, items / seconds, peak, again))
            print(f"  {label}: {seconds:.0f} s", flush=True)
    print()
    print(f"Import of {items:,} items on {platform.node()} ({os.cpu_count()} cores)")
    print(f"{'database':<12}{'first run':>12}{'items/s':>10}{'peak MB':>10}{'re-run':>10}")
    for label, seconds, rate, peak, again in rows:
        print(f"{label:<12}{seconds:>11.0f}s{rate:>10,.0f}{peak:>10.0f}{again:>9.0f}s")
    verdicts = [
        f"{label}: {'holds' if seconds < 600 and peak < 300 else 'MISSES'} "
        "(under 10 minutes and 300 MB)"
        for label, seconds, _, peak, _ in rows
    ]
    print("\n".join(verdicts))


if __name__ == "__main__":
    main()
