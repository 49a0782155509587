"""Schemathesis against the OpenAPI schema, in process (WSGI), inside the normal test run.

Every operation gets a bounded number of generated requests, valid and invalid, sent with a
token that holds every scope; each answer must be no 5xx and must match the schema (status
code, content type, headers, body). A schema that grows an operation is tested without a change
here. Generation is derandomised so a run is repeatable; the figures are printed with ``-s``.
"""

import logging

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from masthead import settings as project_settings
from masthead.api.tests.factories import make_token
from masthead.discussion.tests.factories import CommentFactory
from masthead.people.tests.factories import AuthorProfileFactory, UserFactory
from masthead.publishing.tests.factories import CategoryFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db
EXAMPLES = 15
# Schema-valid bodies these refuse by rule, with a 422 that names the field: a category or tag
# slug that does not exist, a reply to a comment number that does not, a guest without a name.
REJECTIONS = ["400", "401", "403", "404", "405", "409", "413", "422", "429"]
REFERENCES_OTHERS = {
    "POST /api/v1/posts",
    "PATCH /api/v1/posts/{slug}",
    "POST /api/v1/posts/{slug}/comments",
}


@pytest.fixture
def site_pipeline(settings):
    """The moderation pipeline the site runs, not the approving stand-in of the other tests."""
    settings.COMMENT_PIPELINE = project_settings.COMMENT_PIPELINE


@pytest.fixture
def site(site_pipeline):
    editor = UserFactory(username="desk", staff=True)
    author = AuthorProfileFactory(user=editor, display_name="Desk Writer")
    section, topic = CategoryFactory(name="City"), TagFactory(name="harbour")
    post = PostFactory(published=True, author=author, categories=[section], tags=[topic])
    PostFactory(author=author)
    first = CommentFactory(post=post)
    CommentFactory(post=post, parent=first)
    CommentFactory(post=post, pending=True)
    CommentFactory(post=post, spam=True)
    _, raw = make_token("read", "comment", "moderate", "publish", user=editor)
    return raw


@pytest.fixture
def wsgi_app():
    """The real WSGI application, kept on the test's connection as Django's test client does
    (which is what makes the test's transaction, and PostgreSQL's pool, hold across requests)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def quiet_request_log():
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


def test_every_operation_holds_to_the_schema(site, wsgi_app, quiet_request_log, capsys):
    # Unknown query parameters are ignored by design (docs/api.md), so none are invented; a body
    # over the size limit is refused with 413 before it is read.
    config = schemathesis.Config.from_dict(
        {
            "generation": {"allow-extra-parameters": False},
            "checks": {"negative_data_rejection": {"expected-statuses": REJECTIONS}},
        }
    )
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app, config=config)
    headers = {"Authorization": f"Bearer {site}"}
    figures = {"operations": 0, "examples": 0, "failures": []}
    for result in schema.get_all_operations():
        operation = result.ok()
        figures["operations"] += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _exercise(operation, mode, headers, figures)
    with capsys.disabled():
        print(
            f"\nschemathesis: {figures['operations']} operations, {figures['examples']} "
            f"examples, {len(figures['failures'])} failures"
        )
    assert figures["operations"] >= 17
    assert figures["failures"] == [], "\n\n".join(figures["failures"])


def _exercise(operation, mode, headers, figures) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case):
        figures["examples"] += 1
        if mode == GenerationMode.POSITIVE and case.query:
            # Cursors come from a previous page; an invented one is rightly a 400.
            case.query.pop("cursor", None)
        case.call_and_validate(headers=headers, excluded_checks=excluded)

    excluded = [positive_data_acceptance] if operation.label in REFERENCES_OTHERS else []
    try:
        check()
    except (Exception, BaseExceptionGroup) as error:  # one failure per operation and mode
        figures["failures"].append(f"{operation.label} ({mode.value}): {str(error)[:3000]}")
