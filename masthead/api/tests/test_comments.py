"""Writing comments through the API: the form's rules, the pipeline, the edit window."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from masthead.api.tests.conftest import ApiClient
from masthead.api.tests.factories import make_token
from masthead.discussion.models import Comment, CommentStatus
from masthead.discussion.pipeline import Decision
from masthead.discussion.tests.factories import CommentFactory
from masthead.people.tests.factories import UserFactory
from masthead.publishing.tests.factories import PostFactory

pytestmark = pytest.mark.django_db
GUEST = {"name": "Ines Maro", "email": "ines.maro@example.net"}
SEEN = {}


@pytest.fixture
def post():
    return PostFactory(published=True)


def create(client, post, body="A considered point.", headers=None, **fields):
    path = f"/api/v1/posts/{post.slug}/comments"
    return client.send("post", path, {"body": body, **fields}, headers=headers or {})


def test_a_guest_comment_is_published_with_an_edit_token(api, post):
    response = create(api, post, **GUEST)
    assert response.status_code == 201
    found = response.json()
    assert found["state"] == "published" and found["number"] == 1
    assert found["edit_token"]
    comment = Comment.objects.get()
    assert (comment.name, comment.email, comment.user) == ("Ines Maro", GUEST["email"], None)
    assert api.get(f"/api/v1/posts/{post.slug}/comments").json()["comment_count"] == 1


def test_the_pipeline_sees_what_the_request_knew(api, post, settings):
    settings.COMMENT_PIPELINE = "masthead.api.tests.test_comments.remember_context"
    create(api, post, headers={"User-Agent": "NewsApp/2.1"}, **GUEST)
    context = SEEN["context"]
    assert context.post == post and context.user is None
    assert context.ip_address == "127.0.0.1" and context.user_agent == "NewsApp/2.1"
    assert context.form_age_seconds is None and context.honeypot == ""


def remember_context(comment, context):
    SEEN["context"] = context
    return Decision(CommentStatus.APPROVED)


def test_a_held_comment_says_so(api, post, settings):
    settings.COMMENT_PIPELINE = "masthead.api.tests.test_comments.hold"
    assert create(api, post, **GUEST).json()["state"] == "held"


def hold(comment, context):
    return Decision(CommentStatus.PENDING, reason="first comment")


def test_a_comment_the_pipeline_refuses_is_not_stored(api, post, settings):
    settings.COMMENT_PIPELINE = "masthead.api.tests.test_comments.refuse"
    response = create(api, post, **GUEST)
    assert response.status_code == 429
    assert response.json()["error"] == {
        "code": "rejected", "message": "Slow down.", "fields": {}
    }  # fmt: skip
    assert not Comment.objects.exists()


def refuse(comment, context):
    return Decision.reject("Slow down.", reason="rate", http_status=429)


def test_a_guest_must_say_who_they_are(api, post):
    response = create(api, post, name=" ", email="not-an-address", url="javascript:alert(1)")
    assert response.status_code == 422
    assert set(response.json()["error"]["fields"]) == {"name", "email", "url"}


def test_a_comment_scope_token_comments_as_its_user(post):
    user = UserFactory(first_name="Lea", last_name="Stone")
    client = ApiClient(make_token("comment", user=user)[1])
    found = create(client, post).json()
    assert found["edit_token"] is None
    assert Comment.objects.get().user == user


def test_replies_and_their_parents(api, post):
    parent = CommentFactory(post=post)
    assert create(api, post, parent=parent.number, **GUEST).status_code == 201
    assert Comment.objects.get(number=2).parent == parent
    missing = create(api, post, body="Another.", parent=99, **GUEST)
    assert missing.status_code == 422 and "parent" in missing.json()["error"]["fields"]


def test_the_same_comment_twice_is_a_409(api, post):
    create(api, post, **GUEST)
    response = create(api, post, **GUEST)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "duplicate"


def test_closed_posts(api):
    post = PostFactory(published=True, is_comments_open=False)
    response = create(api, post, **GUEST)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "comments_closed"


def test_an_overlong_comment(api, post, settings):
    settings.COMMENT_MAX_CHARS = 20
    response = create(api, post, body="x" * 21, **GUEST)
    assert response.status_code == 422


@pytest.mark.usefixtures("one_rate_window")
def test_comments_are_rate_limited_per_address(api, post, settings):
    settings.API_COMMENT_RATE_LIMIT = 1
    create(api, post, **GUEST)
    response = create(api, post, body="And another thing.", **GUEST)
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"
    assert int(response["Retry-After"]) >= 1


@pytest.mark.parametrize("header", ["X-Comment-Token", "Authorization"])
def test_the_edit_token_changes_and_deletes_within_the_window(api, post, header):
    token = create(api, post, **GUEST).json()["edit_token"]
    value = token if header == "X-Comment-Token" else f"Comment {token}"
    path = f"/api/v1/posts/{post.slug}/comments/1"
    edited = api.send("patch", path, {"body": "A better point."}, headers={header: value})
    assert edited.status_code == 200
    assert edited.json()["body_html"].strip() == "<p>A better point.</p>"
    assert api.delete(path, headers={header: value}).status_code == 204
    assert Comment.objects.get().status == CommentStatus.REMOVED


def test_the_edit_window_closes(api, post, settings):
    token = create(api, post, **GUEST).json()["edit_token"]
    later = timezone.now() + datetime.timedelta(minutes=settings.COMMENT_EDIT_MINUTES + 1)
    with time_machine.travel(later, tick=False):
        response = api.send("patch", f"/api/v1/posts/{post.slug}/comments/1",
                            {"body": "Too late."}, headers={"X-Comment-Token": token})  # fmt: skip
    assert response.status_code in (401, 403)
    assert Comment.objects.get().body == "A considered point."


def test_an_edit_token_opens_only_its_own_comment(api, post):
    other = CommentFactory(post=post)
    token = create(api, post, **GUEST).json()["edit_token"]
    response = api.send("patch", f"/api/v1/posts/{post.slug}/comments/{other.number}",
                        {"body": "Hijacked."}, headers={"X-Comment-Token": token})  # fmt: skip
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_editable"


def test_a_forged_edit_token_is_a_401(api, post):
    CommentFactory(post=post)
    response = api.send("patch", f"/api/v1/posts/{post.slug}/comments/1", {"body": "x"},
                        headers={"X-Comment-Token": "eyJpZHMiOlsxXX0:forged:sig"})  # fmt: skip
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "bad_comment_token"


def test_a_comment_scope_token_edits_its_users_comments_only(post):
    user = UserFactory()
    client = ApiClient(make_token("comment", user=user)[1])
    create(client, post)
    other = CommentFactory(post=post)
    path = f"/api/v1/posts/{post.slug}/comments"
    assert client.send("patch", f"{path}/1", {"body": "Mine to change."}).status_code == 200
    assert client.send("patch", f"{path}/{other.number}", {"body": "Not mine."}).status_code == 403


def test_the_thread_reads_in_one_query_for_its_comments(api, post, django_assert_max_num_queries):
    roots = [CommentFactory(post=post) for _ in range(10)]
    for root in roots:
        CommentFactory(post=post, parent=root)
    # The rate-limit counter (two statements in a savepoint), the post, the thread and its marker.
    with django_assert_max_num_queries(7):
        assert len(api.get(f"/api/v1/posts/{post.slug}/comments?limit=100").json()["items"]) == 10


def test_mentions_are_resolved(api, post):
    first = CommentFactory(post=post, name="Ada")
    reply = CommentFactory(post=post, body="@Ada: quite right", mention_of=first)
    items = api.get(f"/api/v1/posts/{post.slug}/comments").json()["items"]
    assert items[reply.number - 1]["mention_of"] == first.number
