"""`make bench-interpreter`: how fast each Python interpreter on this machine runs plain Python.

Most of the processor time of Masthead's requests is the Python interpreter's (of a comment POST
on PostgreSQL, about two thirds of the machine's: the rest is PostgreSQL's, nginx's, Redis's and
the kernel's), so how the interpreter was built moves every figure of docs/benchmarks.md.
A CPython built with profile-guided and link-time optimisation (`./configure
--enable-optimizations --with-lto`, as Linux distributions build theirs) runs the same code
faster than one built without (pyenv's default: `--enable-shared` alone).

Runs one fixed workload shaped like a request's work (calls with keyword arguments, objects and
their attributes, dicts, string building and escaping, regular expressions, JSON) in each
interpreter given, or else in this one and every `python3.N` on the PATH (pyenv's shims aside),
and prints the best of seven rounds in each of three processes. The workload needs nothing but
the standard library, so any Python 3 runs it.
"""

import glob
import json
import os
import re
import shutil
import subprocess
import sys
import time
from html import escape

ROUNDS = 7
PROCESSES = 3


class Node:
    def __init__(self, number, name, body, parent=None):
        self.number = number
        self.name = name
        self.body = body
        self.parent = parent
        self.children = []

    def label(self, *, prefix="", suffix=""):
        return f"{prefix}{self.number}. {self.name} says:{suffix}"


WORD = re.compile(r"[a-z']+")
TEXT = (
    "@Argon: the council vote was rushed, and the harbour deserves better scrutiny than this. "
    "Ferry fares are rising while the consortium says nothing about pensions. "
) * 3


def thread(count):
    nodes = {}
    for number in range(1, count + 1):
        parent = nodes.get(number // 3) if number % 4 else None
        node = Node(number=number, name=f"Reader {number}", body=TEXT, parent=parent)
        nodes[number] = node
        if parent is not None:
            parent.children.append(node)
    return nodes


def render(nodes):
    parts = []
    for node in nodes.values():
        parts.append(
            f'<article id="comment-{node.number}"><h3>{escape(node.label(suffix=""))}</h3>'
            f"<p>{escape(node.body)}</p></article>"
        )
    return "".join(parts)


def words(nodes):
    counts = {}
    for node in nodes.values():
        for word in WORD.findall(node.body.lower()):
            counts[word] = counts.get(word, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def workload():
    nodes = thread(400)
    html = render(nodes)
    top = words(nodes)
    data = [
        {"number": n.number, "name": n.name, "replies": len(n.children)} for n in nodes.values()
    ]
    for _ in range(20):
        data = json.loads(json.dumps(data))
    return len(html) + len(top) + len(data)


def best_of_rounds() -> float:
    best = float("inf")
    for _ in range(ROUNDS):
        started = time.perf_counter()
        workload()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def interpreters() -> list[str]:
    found = [sys.executable]
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        if os.path.basename(directory) != "shims":  # pyenv's, which answer only for one version
            found += sorted(glob.glob(os.path.join(directory, "python3.[0-9]*")))
    seen, unique = set(), []
    for path in found:
        real = os.path.realpath(path)
        named = re.fullmatch(r"python3\.\d+", os.path.basename(real))
        if (named or path == sys.executable) and real not in seen and shutil.which(path):
            seen.add(real)
            unique.append(path)
    return unique


def measure(path: str) -> tuple[str, float] | None:
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); import interpreter; "
        "print(json.dumps([sys.version.split()[0], interpreter.best_of_rounds()]))"
    )
    here = os.path.dirname(os.path.abspath(__file__))
    try:
        result = subprocess.run(  # noqa: S603 (interpreters on this machine, given or on the PATH)
            [path, "-c", code, here], capture_output=True, text=True, check=False, timeout=300
        )
    except OSError as error:
        print(f"{path}: could not start it ({error.strerror})")
        return None
    if result.returncode != 0:
        print(f"{path}: could not run the workload ({result.stderr.strip()[-200:]})")
        return None
    version, millis = json.loads(result.stdout)
    return version, millis


def main() -> int:
    paths = sys.argv[1:] or interpreters()
    # Processes in turn, three times over, and each one's best: a neighbour's burst of work on a
    # shared machine slowed single runs by a third.
    best: dict[str, tuple[str, float]] = {}
    for _ in range(PROCESSES):
        for path in paths:
            found = measure(path)
            if found and (path not in best or found[1] < best[path][1]):
                best[path] = found
    rows = [(path, best[path]) for path in paths if path in best]
    if not rows:
        print("No interpreter ran the workload.", file=sys.stderr)
        return 1
    reference = rows[0][1][1]
    print(f"Best of {PROCESSES} processes × {ROUNDS} rounds of the same workload in each:")
    print(f"{'interpreter':<48} {'version':<8} {'ms':>7} {'time vs first':>14}")
    for path, (version, millis) in rows:
        print(f"{path:<48} {version:<8} {millis:7.1f} {millis / reference:13.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
