"""`masthead backup` and `masthead restore`: every table comes back exactly, media too."""

import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from masthead.core.backups import live_fingerprints, sqlite_fingerprints
from masthead.people.models import User
from masthead.people.tests.factories import AuthorProfileFactory, UserFactory
from masthead.publishing.models import Post
from masthead.publishing.tests.factories import CategoryFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(settings):
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    (settings.MEDIA_ROOT / "pictures").mkdir()
    (settings.MEDIA_ROOT / "pictures" / "harbour.jpg").write_bytes(b"\xff\xd8 a picture")
    author = AuthorProfileFactory(display_name="Ada Quill", bio="Writes about *ferries*.")
    for number in range(5):
        PostFactory(
            published=True,
            author=author,
            title=f"Harbour vote, part {number}",
            body="The council met. Nobody agreed.\n\n> Never.\n>\n> — A councillor",
            categories=[CategoryFactory()],
            tags=[TagFactory(), TagFactory()],
        )
    UserFactory(username="editor", staff=True)
    return settings.MEDIA_ROOT


def test_restore_brings_back_every_table_and_the_media(site, tmp_path):
    before = live_fingerprints()
    assert before["publishing_post"][0] == 5
    archive = tmp_path / "site.tar.gz"
    call_command("backup", output=archive)

    Post.objects.filter(title__endswith="part 0").delete()
    Post.objects.update(title="Rewritten")
    UserFactory(username="intruder")
    (site / "pictures" / "harbour.jpg").write_bytes(b"defaced")
    (site / "pictures" / "new.jpg").write_bytes(b"added after the backup")
    assert live_fingerprints() != before

    call_command("restore", archive, interactive=False)

    assert live_fingerprints() == before
    assert (site / "pictures" / "harbour.jpg").read_bytes() == b"\xff\xd8 a picture"
    assert not (site / "pictures" / "new.jpg").exists()
    assert not User.objects.filter(username="intruder").exists()
    assert Post.objects.filter(title="Harbour vote, part 0").exists()


def test_the_archive_holds_the_dump_the_media_and_a_manifest(site, tmp_path):
    archive = tmp_path / "site.tar.gz"
    call_command("backup", output=archive)
    with tarfile.open(archive) as opened:
        names = set(opened.getnames())
        manifest = json.load(opened.extractfile("manifest.json"))
    assert "media/pictures/harbour.jpg" in names
    assert {"database.sqlite3", "database.pgdump"} & names
    assert manifest["engine"] == connection.vendor
    assert manifest["tables"]["publishing_post"][0] == 5
    assert manifest["tables"] == live_fingerprints()
    assert not list(tmp_path.glob("*.partial"))


def test_restore_refuses_an_archive_from_the_other_engine(site, tmp_path):
    archive = tmp_path / "site.tar.gz"
    call_command("backup", output=archive)
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    forged = tmp_path / "other.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(forged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member) if member.isfile() else None
            if member.name == "manifest.json":
                manifest = json.load(data) | {"engine": other}
                raw = json.dumps(manifest).encode()
                member.size = len(raw)
                target.addfile(member, io.BytesIO(raw))
            else:
                target.addfile(member, data)
    with pytest.raises(CommandError, match="Restore it into the same kind of database"):
        call_command("restore", forged, interactive=False)
    assert Post.objects.count() == 5


def test_restore_asks_first(site, tmp_path, monkeypatch):
    archive = tmp_path / "site.tar.gz"
    call_command("backup", output=archive)
    Post.objects.all().delete()
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", archive)
    assert Post.objects.count() == 0


def test_a_missing_archive_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="No backup at"):
        call_command("restore", tmp_path / "nothing.tar.gz", interactive=False)


WRITER = """
import django, itertools, sys
from pathlib import Path
django.setup()
from django.db import transaction
from masthead.core.models import RateLimitCounter
stop = Path(sys.argv[1])
for n in itertools.count():
    if stop.exists() or n > 20000:
        break
    with transaction.atomic():
        # Rows are only ever written in pairs: a consistent snapshot holds an even number.
        RateLimitCounter.objects.create(key=f"{n}-a", expires_at="2099-01-01T00:00:00Z")
        RateLimitCounter.objects.create(key=f"{n}-b", expires_at="2099-01-01T00:00:00Z")
"""


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the embedded (SQLite) site")
def test_a_backup_taken_while_the_site_writes_is_consistent(tmp_path):
    """A real file database in WAL mode, a writer process committing, and `masthead backup`."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env |= {
        "MASTHEAD_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "masthead.settings",
    }
    masthead = [sys.executable, "-m", "masthead.cli"]
    subprocess.run([*masthead, "migrate", "--verbosity", "0"], env=env, check=True, timeout=120)
    stop = tmp_path / "stop"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(stop)], env=env)
    try:
        database = sqlite3.connect(tmp_path / "var" / "masthead.sqlite3", timeout=20)
        while database.execute("SELECT count(*) FROM core_ratelimitcounter").fetchone()[0] < 50:
            time.sleep(0.05)
        archive = tmp_path / "live.tar.gz"
        result = subprocess.run(
            [*masthead, "backup", "--output", str(archive)],
            env=env, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert writer.poll() is None, "the writer was still writing during the backup"
    finally:
        stop.touch()
        writer.wait(timeout=60)
    with tarfile.open(archive) as opened:
        opened.extract("database.sqlite3", tmp_path, filter="data")
        manifest = json.load(opened.extractfile("manifest.json"))
    snapshot = sqlite3.connect(tmp_path / "database.sqlite3")
    assert snapshot.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    rows = snapshot.execute("SELECT count(*) FROM core_ratelimitcounter").fetchone()[0]
    assert rows >= 50
    assert rows % 2 == 0
    assert sqlite_fingerprints(snapshot) == manifest["tables"]
