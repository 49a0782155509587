"""A bounded fuzz run of the WXR reader, and every input it ever crashed on, replayed."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from masthead.importers.fuzz import wxr_read_all

HERE = Path(__file__).parent
SEEDS = HERE / "data"
REGRESSIONS = HERE / "fuzz_regressions"
FUZZ_SECONDS = 20


def _saved_crashes() -> list[Path]:
    return sorted(p for p in REGRESSIONS.iterdir() if p.is_file() and p.name != "README.md")


def test_the_reader_survives_a_fuzz_run(tmp_path):
    pytest.importorskip("atheris")
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    before = set(_saved_crashes())
    run = subprocess.run(
        [
            sys.executable, "-m", "masthead.importers.fuzz", str(corpus),
            f"-max_total_time={FUZZ_SECONDS}", "-timeout=10", "-rss_limit_mb=1024",
            f"-artifact_prefix={REGRESSIONS}/", "-print_final_stats=1",
        ],
        capture_output=True, text=True, timeout=FUZZ_SECONDS * 6, cwd=tmp_path,
    )  # fmt: skip
    new = sorted(set(_saved_crashes()) - before)
    assert run.returncode == 0 and not new, (
        f"the WXR reader crashed; inputs saved as {[p.name for p in new]}\n{run.stderr[-4000:]}"
    )
    assert "stat::number_of_executed_units" in run.stderr


@pytest.mark.parametrize("path", _saved_crashes(), ids=lambda p: p.name)
def test_a_saved_crash_input_is_read_or_refused_cleanly(path):
    wxr_read_all(path.read_bytes())


def test_the_harness_refuses_nothing_a_seed_file_holds():
    for seed in SEEDS.glob("*.xml"):
        wxr_read_all(seed.read_bytes())
