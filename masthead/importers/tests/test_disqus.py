import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from masthead.core.tests.statistics import analyses
from masthead.discussion.models import Comment, CommentStatus
from masthead.importers.disqus import disqus_import
from masthead.importers.wordpress import wordpress_import
from masthead.publishing.models import Post, PostStatus

DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    wordpress_import(DATA / "harbour-1.2.xml")
    return Post.objects.get(slug="council-votes-to-sell-the-harbour")


def test_threads_match_posts_by_url_and_comments_keep_their_parents(site):
    before = Comment.objects.filter(post=site).count()
    report = disqus_import(DATA / "quayside-disqus.xml")
    comments = {
        c.import_ref.rsplit(":", 1)[1]: c
        for c in Comment.objects.filter(post=site, import_ref__startswith="disqus")
    }
    assert Comment.objects.filter(post=site).count() == before + 4
    assert comments["3003"].parent == comments["3001"]  # parent listed after its child
    assert comments["3001"].body == "Who *exactly* is in the consortium?"
    assert comments["3002"].status == CommentStatus.SPAM
    assert comments["3004"].status == CommentStatus.REMOVED
    assert report.counts["comments created"] == 5


def test_unknown_page_becomes_a_draft_stub_with_a_warning(site):
    report = disqus_import(DATA / "quayside-disqus.xml")
    stub = Post.objects.get(import_ref="disqus:quayside:thread:2002")
    assert stub.status == PostStatus.DRAFT and stub.title == "An old page we lost"
    assert stub.comments.get().name == "Old Reader"
    assert any("no post here" in warning for warning in report.warnings)


def test_disqus_import_twice_changes_nothing(site):
    disqus_import(DATA / "quayside-disqus.xml")
    rows = sorted(Comment.objects.values_list("import_ref", "number", "status", "parent_id"))
    report = disqus_import(DATA / "quayside-disqus.xml")
    assert (
        sorted(Comment.objects.values_list("import_ref", "number", "status", "parent_id")) == rows
    )
    assert report.counts["comments unchanged"] == 5 and not report.counts["comments created"]


@analyses
def test_command_and_bad_file(tmp_path, site, capsys):
    call_command("import", "disqus", str(DATA / "quayside-disqus.xml"))
    assert "comments: 5 created" in capsys.readouterr().out
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"<disqus><thread>")
    with pytest.raises(CommandError, match="line 1, column 17"):
        call_command("import", "disqus", str(bad))


def test_not_a_disqus_file():
    from masthead.importers.disqus import read_disqus
    from masthead.importers.exceptions import ImportFileError

    with pytest.raises(ImportFileError, match="not a Disqus export"):
        list(read_disqus(io.BytesIO(b"<rss><channel/></rss>")))


def test_a_disqus_file_with_entities_is_refused_at_its_doctype():
    from masthead.importers.disqus import read_disqus
    from masthead.importers.exceptions import ImportFileError

    payload = b'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x "x">]>\n<disqus>&x;</disqus>'
    with pytest.raises(ImportFileError, match=r"line 2, column 1: refused.*Disqus exports"):
        list(read_disqus(io.BytesIO(payload)))
