"""The API: one NinjaAPI, its routers, and the error shape installed on it (docs/api.md)."""

from ninja import NinjaAPI
from ninja.parser import Parser

from masthead.api import errors
from masthead.api.routers import comments, moderation, posts, terms


class ObjectParser(Parser):
    """Request bodies are JSON objects; anything else is refused before validation."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if data is not None and not isinstance(data, dict):
            raise TypeError("The body must be a JSON object.")
        return data


api = NinjaAPI(
    title="Masthead API",
    version="1",
    description="Posts, authors, terms and discussions; comment writing, moderation and "
    'publishing with tokens. Errors: {"error": {"code", "message", "fields"}}.',
    urls_namespace="api",
    parser=ObjectParser(),
)
errors.install(api)
api.add_router("", posts.router)
api.add_router("", terms.router)
api.add_router("", comments.router)
api.add_router("", moderation.router)
