import os
import subprocess
import sys

import pytest

from masthead import cli


def _masthead(*args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MASTHEAD_")}
    clean["MASTHEAD_VAR_DIR"] = os.environ.get("MASTHEAD_VAR_DIR", "var")
    return subprocess.run(
        [sys.executable, "-m", "masthead.cli", *args],
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_serve_without_a_secret_key_stops_with_a_clear_message():
    result = _masthead("serve", MASTHEAD_ALLOWED_HOSTS="news.example.org")
    assert result.returncode == 2
    assert "MASTHEAD_SECRET_KEY is not set" in result.stderr
    assert "MASTHEAD_ALLOWED_HOSTS" not in result.stderr


def test_serve_without_allowed_hosts_names_that_one():
    result = _masthead("serve", MASTHEAD_SECRET_KEY="x" * 50)
    assert result.returncode == 2
    assert "MASTHEAD_ALLOWED_HOSTS is not set" in result.stderr
    assert "MASTHEAD_SECRET_KEY" not in result.stderr


@pytest.mark.parametrize("blank", ["", "   "])
def test_blank_values_count_as_missing(blank):
    environ = {"MASTHEAD_SECRET_KEY": blank, "MASTHEAD_ALLOWED_HOSTS": "a.example"}
    assert cli.missing_for_serve(environ) == ["MASTHEAD_SECRET_KEY"]


def test_every_django_command_passes_through():
    result = _masthead("check")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_help_lists_the_operator_commands():
    result = _masthead("help")
    assert result.returncode == 0
    for verb in ("masthead run", "masthead serve", "masthead demo"):
        assert verb in result.stdout
