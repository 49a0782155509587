import pytest


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """Tasks run where they are enqueued, so a test sees their effect; one test runs the real
    database backend and its worker instead."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def guest():
    return {"name": "Ines Maro", "email": "ines.maro@example.net", "url": ""}
