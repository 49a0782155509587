import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from masthead.discussion import services
from masthead.discussion.mentions import (
    Candidate,
    edit_distance,
    mention_name,
    mention_target,
    resolve_mentions,
)
from masthead.discussion.models import Comment, CommentStatus
from masthead.discussion.tests.factories import CommentFactory
from masthead.publishing.tests.factories import PostFactory

NAMES = ["Argon", "C. Clavin", "Ines Maro", "Ines Mara", "Marguerite T.", "oldsalt", "Rook"]


def _comment(number, name, body="", *, post_id=1, approved=True, commenter=None, parent=False):
    return Candidate(
        pk=post_id * 1000 + number,
        post_id=post_id,
        number=number,
        name=name,
        commenter=commenter or name.lower(),
        is_approved=approved,
        has_parent=parent,
        body=body,
    )


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ("@Argon: fair point", "Argon"),
        ("@Ines Maro: no", "Ines Maro"),
        ("@C. Calvin, the losses", "C. Calvin"),
        ("  @oldsalt , yes", "oldsalt"),
        ("Argon: no at sign", None),
        ("@Argon without punctuation", None),
        ("email me @ home: later", None),
        ("", None),
    ],
)
def test_the_mention_is_read_from_the_start_of_the_body(body, name):
    assert mention_name(body) == name


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [("calvin", "clavin", 2), ("argon", "argon", 0), ("maro", "mara", 1), ("abc", "xyzxyz", 3)],
)
def test_edit_distance(a, b, distance):
    assert edit_distance(a, b, limit=2) == min(distance, 3)


def test_a_mention_links_to_the_latest_earlier_comment_by_that_commenter():
    thread = [
        _comment(3, "Marguerite T."),
        _comment(5, "Petra"),
        _comment(11, "Marguerite T."),
        _comment(12, "Tobias", "@marguerite t.: and the letter?"),
    ]
    match = mention_target(thread[-1], thread)
    assert (match.number, match.confidence) == (11, 1.0)


def test_a_long_name_tolerates_two_slips_and_says_how_sure_it_is():
    thread = [_comment(2, "C. Clavin"), _comment(8, "Fern", "@C. Calvin, the losses are real")]
    match = mention_target(thread[-1], thread)
    assert match.number == 2
    assert 0.7 < match.confidence < 1


def test_a_short_name_must_match_exactly():
    thread = [_comment(1, "Rook"), _comment(2, "Ann", "@Rock: hm")]
    assert mention_target(thread[-1], thread) is None


def test_an_ambiguous_mention_stays_unlinked():
    thread = [
        _comment(1, "Ines Maro"),
        _comment(2, "Ines Miro"),
        _comment(3, "Ann", "@Ines Mbro: which of you?"),
    ]
    assert mention_target(thread[-1], thread) is None


def test_an_exact_match_beats_a_near_one():
    thread = [_comment(1, "Ines Maro"), _comment(2, "Ines Mara"), _comment(3, "A", "@Ines Mara: x")]
    assert mention_target(thread[-1], thread).number == 2


def test_replies_and_unapproved_comments_take_no_part():
    thread = [
        _comment(1, "Argon", approved=False),
        _comment(2, "Ann", "@Argon: hello"),
        _comment(3, "Argon"),
        _comment(4, "Bo", "@Argon: hi", parent=True),
    ]
    found = resolve_mentions(thread)
    assert found[thread[1].pk] is None
    assert found[thread[3].pk] is None


names = st.sampled_from(NAMES)
bodies = st.one_of(
    st.just(""),
    st.text(max_size=20),
    st.builds(lambda n, p: f"@{n}{p} reply", names, st.sampled_from([":", ","])),
    st.builds(lambda n: f"@{n[:-1]}x: typo", names),
)
comments = st.lists(
    st.tuples(st.integers(1, 3), names, bodies, st.booleans(), st.booleans()),
    max_size=40,
)


def _threads(rows):
    numbers: dict[int, int] = {}
    out = []
    for post_id, name, body, approved, parent in rows:
        numbers[post_id] = numbers.get(post_id, 0) + 1
        out.append(_comment(numbers[post_id], name, body, post_id=post_id, approved=approved,
                            parent=parent))  # fmt: skip
    return out


@given(comments)
def test_a_mention_never_links_to_a_later_comment_itself_or_another_post(rows):
    thread = _threads(rows)
    by_pk = {c.pk: c for c in thread}
    for pk, match in resolve_mentions(thread).items():
        if match is None:
            continue
        source, target = by_pk[pk], by_pk[match.pk]
        assert target.pk != source.pk
        assert target.post_id == source.post_id
        assert target.number < source.number
        assert target.is_approved
        assert not source.has_parent
        assert 0 < match.confidence <= 1


@given(comments)
def test_a_link_always_goes_to_the_commenters_latest_earlier_comment(rows):
    thread = _threads(rows)
    by_pk = {c.pk: c for c in thread}
    for pk, match in resolve_mentions(thread).items():
        if match is None:
            continue
        source, target = by_pk[pk], by_pk[match.pk]
        later_by_same = [
            c
            for c in thread
            if c.post_id == source.post_id
            and c.commenter == target.commenter
            and target.number < c.number < source.number
            and c.is_approved
        ]
        assert later_by_same == []


@given(st.sampled_from([n for n in NAMES if sum(c.isalpha() for c in n) >= 6]), st.data())
def test_one_slip_in_a_long_unique_name_still_links(name, data):
    position = data.draw(st.integers(0, len(name) - 1))
    typo = name[:position] + "q" + name[position + 1 :]
    thread = [_comment(1, name), _comment(2, "Someone Else", f"@{typo}: yes")]
    assert mention_target(thread[-1], thread).number == 1


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(comments)
def test_the_stored_links_obey_the_same_rules(rows):
    posts = {}
    for post_id, name, body, approved, _ in rows:
        post = posts.setdefault(post_id, PostFactory(published=True))
        status = CommentStatus.APPROVED if approved else CommentStatus.PENDING
        body = body.replace("\x00", "")
        CommentFactory(post=post, name=name, email="", body=body, status=status)
    for post in posts.values():
        services.mention_resolve_for_post(post=post)
    linked = Comment.objects.filter(post__in=posts.values(), mention_of__isnull=False)
    for comment in linked.select_related("mention_of"):
        assert comment.mention_of.post_id == comment.post_id
        assert comment.mention_of.number < comment.number
        assert comment.mention_of.is_approved


@pytest.mark.django_db
def test_the_resolver_runs_again_without_changing_anything():
    post = PostFactory(published=True)
    CommentFactory(post=post, name="Argon")
    reply = CommentFactory(post=post, name="Hollis", body="@Argon: fair")
    assert services.mention_resolve_for_post(post=post) == 1
    assert services.mention_resolve_for_post(post=post) == 0
    reply.refresh_from_db()
    assert (reply.mention_of.number, reply.mention_confidence) == (1, 1.0)
