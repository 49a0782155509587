import pytest

from masthead.core.tests.pagecache_fixtures import page_cache  # noqa: F401


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """Tasks run where they are enqueued, so a test sees their effect; one test runs the real
    database backend and its worker instead."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _discussions_own_pipeline(settings):
    """Discussion's rules are tested with its own default decision; the site's moderation
    pipeline (first-time holds, rate limits, the spam model) has its tests in moderation."""
    settings.COMMENT_PIPELINE = "masthead.discussion.pipeline.default_decision"
