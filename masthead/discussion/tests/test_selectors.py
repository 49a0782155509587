import pytest
from django.db import connection
from django.db.models import Count, Max
from django.test.utils import CaptureQueriesContext

from masthead.discussion import selectors
from masthead.discussion.models import Comment
from masthead.discussion.selectors import Viewer, comment_page_number, comment_tree_for_post
from masthead.discussion.tests.factories import CommentFactory
from masthead.publishing.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def post():
    return PostFactory(published=True)


def _shape(nodes, depth=0):
    """Numbers as nested lists, placeholders marked with an x."""
    out = []
    for node in nodes:
        label = f"{node.comment.number}{'x' if node.is_placeholder else ''}"
        out.append([label, _shape(node.children)] if node.children else label)
    return out


def test_replies_nest_under_their_parents(post):
    one = CommentFactory(post=post)
    two = CommentFactory(post=post, parent=one)
    CommentFactory(post=post, parent=two)
    CommentFactory(post=post)
    CommentFactory(post=post, parent=one)
    thread = comment_tree_for_post(post=post)
    assert _shape(thread.nodes) == [["1", [["2", ["3"]], "5"]], "4"]
    assert [n.depth for n in thread.nodes[0].children] == [1, 1]


def test_replies_deeper_than_the_limit_hang_under_the_deepest_ancestor(post, settings):
    settings.COMMENT_MAX_DEPTH = 3
    parent = CommentFactory(post=post)
    for _ in range(4):
        parent = CommentFactory(post=post, parent=parent)
    thread = comment_tree_for_post(post=post)
    assert _shape(thread.nodes) == [["1", [["2", ["3", "4", "5"]]]]]
    four, five = thread.nodes_by_number[4], thread.nodes_by_number[5]
    assert (four.depth, four.reply_to.number) == (2, 3)
    assert (five.depth, five.reply_to.number) == (2, 4)
    assert thread.nodes_by_number[3].reply_to is None


def test_a_removed_comment_with_replies_leaves_a_placeholder(post):
    removed = CommentFactory(post=post, removed=True)
    CommentFactory(post=post, parent=removed)
    CommentFactory(post=post, removed=True)
    spam = CommentFactory(post=post, spam=True)
    CommentFactory(post=post, parent=spam)
    thread = comment_tree_for_post(post=post)
    assert _shape(thread.nodes) == [["1x", ["2"]], ["4x", ["5"]]]
    assert thread.visible_count == 2
    assert thread.latest_number == 5


def test_a_pending_comment_shows_only_to_its_author(post):
    pending = CommentFactory(post=post, pending=True)
    assert comment_tree_for_post(post=post).nodes == []
    mine = comment_tree_for_post(post=post, viewer=Viewer(authored_ids={pending.pk}))
    assert _shape(mine.nodes) == ["1"]
    assert mine.nodes[0].is_own


def test_mentions_point_at_their_node(post):
    CommentFactory(post=post, name="Argon")
    target = CommentFactory(post=post, name="Ines Maro")
    reply = CommentFactory(post=post, mention_of=target)
    thread = comment_tree_for_post(post=post)
    assert thread.nodes_by_number[reply.number].mention.comment == target


def test_long_threads_paginate_by_top_level_comments(post, settings):
    settings.COMMENTS_PER_PAGE = 2
    first = CommentFactory(post=post)
    for _ in range(4):
        CommentFactory(post=post)
    reply = CommentFactory(post=post, parent=first)
    thread = comment_tree_for_post(post=post, page=2)
    assert _shape(thread.nodes) == ["3", "4"]
    assert thread.page.paginator.num_pages == 3
    assert comment_page_number(thread, reply.number) == 1
    assert comment_page_number(thread, 5) == 3
    newest = comment_tree_for_post(post=post, sort="newest")
    assert _shape(newest.nodes) == ["5", "4"]
    assert comment_page_number(newest, reply.number) == 3


def test_the_tree_is_two_queries_however_long(post, django_assert_num_queries):
    root = CommentFactory(post=post)
    for index in range(30):
        CommentFactory(post=post, parent=root if index % 3 else None)
    with django_assert_num_queries(2):  # its rows, and the marker of them all
        thread = comment_tree_for_post(post=post)
        assert [node.comment.post.slug for node in thread.nodes_by_number.values()]


def test_the_marker_changes_with_any_change_and_the_poll_agrees(post):
    comment = CommentFactory(post=post)
    before = comment_tree_for_post(post=post).marker
    assert selectors.comment_marker_for_post(slug=post.slug) == (before, post.pk)
    comment.body_html = "<p>edited</p>"
    comment.save()
    after = comment_tree_for_post(post=post).marker
    assert after != before
    assert selectors.comment_marker_for_post(slug=post.slug)[0] == after


def test_the_marker_is_the_fingerprint_of_what_the_orm_reads(post):
    # The marker is read in SQL; on SQLite the latest change comes back as text in UTC.
    CommentFactory.create_batch(3, post=post)
    found = Comment.objects.filter(post=post).aggregate(rows=Count("pk"), changed=Max("updated_at"))
    expected = selectors.marker_for(found["rows"], found["changed"])
    assert selectors.comment_marker_for_post_id(post_id=post.pk) == expected
    assert selectors.comment_marker_for_post(slug=post.slug) == (expected, post.pk)
    assert selectors.comment_marker_for_post(slug="no-such-post") == ("0.0", None)


def test_the_poll_marker_is_a_single_query(post):
    CommentFactory.create_batch(5, post=post)
    with CaptureQueriesContext(connection) as queries:
        selectors.comment_marker_for_post(slug=post.slug)
    assert len(queries) == 1


def test_new_comments_are_counted_after_what_the_reader_saw(post):
    CommentFactory.create_batch(3, post=post)
    CommentFactory(post=post, spam=True)
    CommentFactory(post=post)
    assert selectors.comment_count_new(post_id=post.pk, after=2) == (2, 3)
    assert selectors.comment_count_new(post_id=post.pk, after=5) == (0, None)


def test_others_held_and_spam_comments_are_not_read(post):
    shown = CommentFactory(post=post)
    CommentFactory.create_batch(5, post=post, pending=True)
    CommentFactory.create_batch(5, post=post, spam=True)
    mine = CommentFactory(post=post, pending=True)
    removed = CommentFactory(post=post, removed=True)
    reply = CommentFactory(post=post, parent=removed)
    viewer = selectors.Viewer(authored_ids=frozenset([mine.pk]))
    rows = selectors.tree_rows(post=post, viewer=viewer)
    assert [row.pk for row in rows] == [shown.pk, mine.pk, removed.pk, reply.pk]
    thread = comment_tree_for_post(post=post, viewer=viewer)
    assert thread.latest_number == reply.number
    assert thread.marker == selectors.comment_marker_for_post(slug=post.slug)[0]
    assert thread.nodes_by_number[removed.number].is_placeholder
