import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from masthead.core.tests.statistics import analyses, planned_rows
from masthead.discussion.models import Comment, CommentStatus
from masthead.importers.models import ImportRun, ImportRunStatus
from masthead.importers.wordpress import wordpress_import
from masthead.media.models import Image
from masthead.people.models import AuthorProfile
from masthead.publishing.models import Category, Post, PostStatus, Tag

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "harbour-1.2.xml"
pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    """The imported site, by import_ref, without database ids."""
    comments = Comment.objects.select_related("parent", "mention_of", "post")
    return {
        "authors": sorted(AuthorProfile.objects.values_list("import_ref", "display_name", "slug")),
        "categories": sorted(
            (c.import_ref, c.name, c.slug, c.parent.slug if c.parent else None)
            for c in Category.objects.select_related("parent")
        ),
        "tags": sorted(Tag.objects.values_list("import_ref", "name", "slug")),
        "images": sorted(Image.objects.values_list("import_ref", "source_url", "alt_text")),
        "posts": sorted(
            (
                p.import_ref,
                p.title,
                p.slug,
                p.status,
                p.published_at,
                p.body,
                p.dek,
                p.author.import_ref,
                p.featured_image.import_ref if p.featured_image else None,
                tuple(sorted(p.categories.values_list("slug", flat=True))),
                tuple(sorted(p.tags.values_list("slug", flat=True))),
                p.comment_count,
                p.is_comments_open,
            )
            for p in Post.objects.select_related("author", "featured_image")
        ),
        "comments": sorted(
            (
                c.import_ref,
                c.post.slug,
                c.number,
                c.status,
                c.status_reason,
                c.name,
                c.body,
                c.parent.import_ref if c.parent else None,
                c.mention_of.import_ref if c.mention_of else None,
                c.created_at,
            )
            for c in comments
        ),
    }


def test_import_brings_in_authors_terms_posts_and_comments():
    report = wordpress_import(SAMPLE)
    assert AuthorProfile.objects.count() == 2
    assert Category.objects.get(slug="elections").parent.slug == "politics"
    assert not Category.objects.filter(slug="blank-name").exists()
    assert not Tag.objects.filter(slug="empty").exists()
    assert any("empty name" in w for w in report.warnings)
    post = Post.objects.get(slug="council-votes-to-sell-the-harbour")
    assert post.status == PostStatus.PUBLISHED and post.is_published
    assert post.author.display_name == "Mara Weller"
    assert post.dek == "A late vote, a narrow margin, and a harbour changes hands."
    assert sorted(post.categories.values_list("slug", flat=True)) == ["elections", "politics"]
    assert post.tags.get(slug="ferries").name == "Ferries & Fares"
    assert post.featured_image.alt_text == "Gulls wheeling over a fish market at dawn"
    assert "<figcaption>— <cite>The Tidewater Courier</cite></figcaption>" in post.body_html
    assert "<figcaption>Gulls over the fish market, the morning after the vote.</figcaption>" in (
        post.body_html
    )
    assert "javascript" not in post.body_html and "<script" not in post.body_html


def test_post_statuses_map_to_ours():
    wordpress_import(SAMPLE)
    status = dict(Post.objects.values_list("import_ref", "status"))
    ref = "wxr:gazette.example.org:{}".format
    assert status[ref("post:101")] == PostStatus.PUBLISHED
    assert status[ref("post:102")] == PostStatus.PUBLISHED  # "future", but its time has come
    assert status[ref("post:103")] == PostStatus.DRAFT
    assert status[ref("post:104")] == PostStatus.DRAFT  # pending review
    assert status[ref("page:2")] == PostStatus.DRAFT  # private
    assert Post.objects.get(import_ref=ref("post:103")).slug == "notes-for-a-column"


def test_comments_keep_threads_statuses_and_numbers():
    report = wordpress_import(SAMPLE)
    post = Post.objects.get(slug="council-votes-to-sell-the-harbour")
    comments = {c.name: c for c in Comment.objects.filter(post=post)}
    assert [c.name for c in Comment.objects.filter(post=post).order_by("number")][:3] == [
        "Wren", "Oskar L.", "Hallie",
    ]  # fmt: skip
    assert comments["Oskar L."].parent == comments["Wren"]  # parent came after its child
    assert comments["Hallie"].mention_of == comments["Wren"]  # "@Wren:" resolved after import
    assert comments["Waiting Reader"].status == CommentStatus.PENDING
    assert comments["Cheap Flights Now"].status == CommentStatus.SPAM
    assert comments["Binned"].status == CommentStatus.REMOVED
    assert (comments["Silent Sam"].status, comments["Silent Sam"].status_reason) == (
        CommentStatus.REMOVED, "empty",
    )  # fmt: skip
    assert comments["Orphan"].parent is None
    assert any("parent 999 is not in the file" in w for w in report.warnings)
    assert comments["Wren"].ip_address == "198.51.100.7"
    post.refresh_from_db()
    assert post.comment_count == 4  # approved ones


def test_running_the_same_file_again_changes_nothing():
    wordpress_import(SAMPLE)
    before = snapshot()
    report = wordpress_import(SAMPLE)
    assert snapshot() == before
    outcomes = {k.split(" ", 1)[1] for k in report.counts}
    assert outcomes == {"unchanged", "skipped"}
    assert report.counts["comments unchanged"] == 8


def test_a_changed_file_updates_in_place(tmp_path):
    wordpress_import(SAMPLE)
    edited = tmp_path / "edited.xml"
    edited.write_text(
        SAMPLE.read_text().replace("Thirty-five minutes before midnight.", "Before midnight.")
    )
    report = wordpress_import(edited)
    assert report.counts["comments updated"] == 1
    assert Comment.objects.get(name="Wren").body.startswith("Before midnight.")
    assert Comment.objects.count() == 8


@pytest.mark.parametrize("version", ["1.0", "1.1"])
def test_older_wxr_versions_import_alike(version):
    wordpress_import(DATA / f"harbour-{version}.xml")
    assert Post.objects.count() == 5 and Comment.objects.count() == 8


@analyses
def test_command_reports_counts_and_records_the_run(capsys):
    call_command("import", "wordpress", str(SAMPLE))
    out = capsys.readouterr().out
    assert "posts: 4 created" in out and "comments: 8 created" in out
    run = ImportRun.objects.get()
    assert run.status == ImportRunStatus.FINISHED and run.counts["comments"]["created"] == 8


@analyses
def test_the_query_planner_learns_the_imported_sites_size():
    call_command("import", "wordpress", str(SAMPLE))
    assert planned_rows("discussion_comment") == Comment.objects.count() == 8


def test_dry_run_keeps_nothing(capsys):
    call_command("import", "wordpress", str(SAMPLE), "--dry-run")
    assert "Would import" in capsys.readouterr().out
    assert not Post.objects.exists() and not Comment.objects.exists()


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"not xml", "line 1, column 1: this is not XML"),
        (b'<?xml version="1.0"?>\n<rss><channel>\n<item>', "line 3, column 7: the file ends"),
    ],
)
def test_bad_file_fails_with_line_and_column_and_keeps_what_was_stored(tmp_path, payload, message):
    wordpress_import(SAMPLE)
    before = snapshot()
    bad = tmp_path / "bad.xml"
    bad.write_bytes(payload)
    with pytest.raises(CommandError, match=message):
        call_command("import", "wordpress", str(bad))
    assert snapshot() == before
    assert ImportRun.objects.get(filename=str(bad)).status == ImportRunStatus.FAILED


@analyses
def test_truncated_file_keeps_the_whole_items_before_the_cut(tmp_path):
    text = SAMPLE.read_bytes()
    cut = text.index(b"<title><![CDATA[Ferry timetable")
    truncated = tmp_path / "truncated.xml"
    truncated.write_bytes(text[:cut])
    with pytest.raises(CommandError, match="ends too early"):
        call_command("import", "wordpress", str(truncated))
    assert Post.objects.filter(slug="council-votes-to-sell-the-harbour").exists()
    assert Comment.objects.count() == 8
    call_command("import", "wordpress", str(SAMPLE))  # the re-run continues
    assert Post.objects.count() == 5


@analyses
def test_media_is_not_fetched_unless_asked(monkeypatch):
    fetched = []
    monkeypatch.setattr("masthead.importers.media.fetch_into", lambda *a: fetched.append(a))
    call_command("import", "wordpress", str(SAMPLE))
    assert fetched == []
    assert Image.objects.get().source_url.endswith("/gulls.jpg")


def test_missing_file_is_a_clear_error():
    with pytest.raises(CommandError, match="no such file"):
        call_command("import", "wordpress", "/nonexistent/site.xml")


def test_reading_from_a_copy_gives_the_same_site(tmp_path):
    wordpress_import(SAMPLE)
    first = snapshot()
    Post.objects.all().delete()
    copy = tmp_path / "copy.xml"
    shutil.copy(SAMPLE, copy)
    wordpress_import(copy)
    assert snapshot() == first


@pytest.mark.parametrize("learn", [False, True])
def test_comments_marked_spam_teach_the_model_only_when_asked(learn):
    from masthead.moderation.models import LearnedTotals

    wordpress_import(SAMPLE, learn=learn)
    totals = LearnedTotals.objects.first()
    assert (totals.spam_count if totals else 0) == (1 if learn else 0)


def test_an_import_purges_cached_pages(monkeypatch):
    purged = []
    monkeypatch.setattr("masthead.core.pagecache.purge_all", lambda: purged.append(True))
    # Rolled back, as this test is, so that on_commit purges do not count: no ANALYZE either.
    monkeypatch.setattr(
        "masthead.importers.management.commands.import.statistics_refresh", lambda: 0
    )
    call_command("import", "wordpress", str(SAMPLE), "--dry-run")
    assert purged == []
    call_command("import", "wordpress", str(SAMPLE))
    assert purged == [True]
