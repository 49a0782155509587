import pytest

from masthead.discussion import services as discussion
from masthead.discussion.pipeline import SubmissionContext
from masthead.moderation.tests.factories import ModeratorFactory
from masthead.people.tests.factories import UserFactory
from masthead.publishing.tests.factories import PostFactory

READER_BODY = "The scrutiny committee should see the valuation before the harbour vote."


@pytest.fixture
def post():
    return PostFactory(
        published=True,
        title="Council sells the harbour",
        body="The council voted to sell the harbour authority after a late scrutiny meeting.",
    )


@pytest.fixture
def moderator():
    return ModeratorFactory()


@pytest.fixture
def reader():
    """Signed in, but not a moderator."""
    return UserFactory(username="reader", is_staff=True)


def form_context(post, **overrides) -> SubmissionContext:
    """What the comment form tells the pipeline about a person who took their time."""
    values = {"post": post, "ip_address": "198.51.100.7", "form_age_seconds": 40.0}
    return SubmissionContext(**{**values, **overrides})


@pytest.fixture
def submit(post):
    """Post a comment through discussion's service, and so through the moderation pipeline."""

    def send(body=READER_BODY, *, context=None, **identity):
        identity.setdefault("name", "Ines Maro")
        if "user" not in identity:
            identity.setdefault("email", "ines.maro@example.net")
        return discussion.comment_submit(
            post=identity.pop("post", post),
            body=body,
            context=context or form_context(post),
            **identity,
        )

    return send


@pytest.fixture(autouse=True)
def _fresh_counters():
    """Rate-limit counters kept in the cache outlive a test's transaction: start each clean."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _quick_passwords(settings):
    """Accounts are made in most tests here; a slow hash only slows them."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
