"""What the API reads and writes. Inputs forbid unknown fields, so a caller cannot set what it
should not (a status, a number, a score, an author): naming one is a 422 in the error shape.

Public outputs carry no commenter e-mail, address, user agent, score or moderation reason;
those appear only in ``ModerationCommentOut``, behind the moderate scope.
"""

import datetime
from typing import Annotated

from django.conf import settings
from ninja import Field, Schema
from pydantic import ConfigDict, field_validator

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
# At least one character that is not white space (as Python's strip() sees it) or NUL.
NOT_BLANK = r"[^\s\x00\x1c-\x1f]"

Slug = Annotated[str, Field(pattern=SLUG_PATTERN, min_length=1, max_length=250)]


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


class InputSchema(Schema):
    """A request body: unknown fields are refused, NUL characters dropped (no reader typed one,
    and PostgreSQL cannot store them)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _drop_nul(cls, value):
        if isinstance(value, str):
            return value.replace("\x00", "")
        if isinstance(value, list):
            return [v.replace("\x00", "") if isinstance(v, str) else v for v in value]
        return value


# Terms and people


class TermOut(Schema):
    slug: str
    name: str


class CategoryOut(TermOut):
    description: str
    parent: str | None = Field(None, description="The parent category's slug.")
    url: str

    @staticmethod
    def resolve_parent(obj) -> str | None:
        return obj.parent.slug if obj.parent_id else None

    @staticmethod
    def resolve_url(obj) -> str:
        return absolute(obj.get_absolute_url())


class TagOut(TermOut):
    url: str

    @staticmethod
    def resolve_url(obj) -> str:
        return absolute(obj.get_absolute_url())


class AuthorBriefOut(Schema):
    slug: str
    name: str
    url: str

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.display_name

    @staticmethod
    def resolve_url(obj) -> str:
        return absolute(obj.get_absolute_url())


class AuthorOut(AuthorBriefOut):
    bio_html: str
    status: str = Field(description="active, retired or in_memoriam")
    status_since: datetime.date | None
    avatar_url: str | None
    post_count: int

    @staticmethod
    def resolve_avatar_url(obj) -> str | None:
        return absolute(obj.avatar.url) if obj.avatar else None


# Posts


class ImageOut(Schema):
    url: str
    alt_text: str
    caption: str
    credit: str
    width: int | None
    height: int | None

    @staticmethod
    def resolve_url(obj) -> str:
        url = obj.url
        return absolute(url) if url.startswith("/") else url


class PostSummaryOut(Schema):
    slug: str
    title: str
    dek: str
    url: str
    published_at: datetime.datetime | None
    updated_at: datetime.datetime
    author: AuthorBriefOut
    categories: list[TermOut]
    tags: list[TermOut]
    featured_image: ImageOut | None
    comment_count: int
    is_comments_open: bool

    @staticmethod
    def resolve_url(obj) -> str:
        return absolute(obj.get_absolute_url())

    @staticmethod
    def resolve_categories(obj) -> list:
        return list(obj.categories.all())

    @staticmethod
    def resolve_tags(obj) -> list:
        return list(obj.tags.all())


class PostOut(PostSummaryOut):
    body_html: str = Field(description="The body rendered from Markdown and sanitised.")


class PostEditorialOut(PostOut):
    """A post as the newsroom sees it: any status, with its Markdown source."""

    id: int
    status: str = Field(description="draft, scheduled or published")
    body: str
    created_at: datetime.datetime
    preview_url: str

    @staticmethod
    def resolve_preview_url(obj) -> str:
        return absolute(obj.get_preview_url())


class PostIn(InputSchema):
    title: str = Field(min_length=1, max_length=250, pattern=NOT_BLANK)
    body: str = Field("", max_length=200_000, description="Markdown.")
    dek: str = Field("", max_length=5_000)
    slug: str | None = Field(None, pattern=SLUG_PATTERN, max_length=250)
    categories: list[Slug] = Field(default_factory=list, max_length=50)
    tags: list[Slug] = Field(default_factory=list, max_length=50)
    is_comments_open: bool = True


class PostPatch(InputSchema):
    title: str | None = Field(None, min_length=1, max_length=250, pattern=NOT_BLANK)
    body: str | None = Field(None, max_length=200_000)
    dek: str | None = Field(None, max_length=5_000)
    slug: str | None = Field(None, pattern=SLUG_PATTERN, max_length=250)
    categories: list[Slug] | None = Field(None, max_length=50)
    tags: list[Slug] | None = Field(None, max_length=50)
    is_comments_open: bool | None = None


class PublishIn(InputSchema):
    at: datetime.datetime | None = Field(
        None, description="When to publish; a future time schedules the post. Default: now."
    )


# Comments


class CommenterOut(Schema):
    name: str
    url: str = Field(description="The commenter's website, or empty.")


class CommentOut(Schema):
    number: int
    parent: int | None = Field(description="The number of the comment this one replies to.")
    mention_of: int | None = Field(
        description="The earlier comment an opening “@Name:” answers, when it was resolved."
    )
    is_placeholder: bool = Field(
        description="A comment no longer shown, kept so its replies keep their place."
    )
    author: CommenterOut | None
    body_html: str | None
    created_at: datetime.datetime | None
    edited_at: datetime.datetime | None
    permalink: str | None
    replies: list["CommentOut"]


class CommentThreadOut(Schema):
    post: str = Field(description="The post's slug.")
    comment_count: int = Field(description="Approved comments on the post.")
    items: list[CommentOut] = Field(description="Top-level comments, oldest first.")
    next_cursor: str | None


class CommentIn(InputSchema):
    body: str = Field(
        min_length=1, max_length=settings.COMMENT_MAX_CHARS, pattern=NOT_BLANK,
        description="A small Markdown: emphasis, links, quotes and inline code.",
    )  # fmt: skip
    name: str | None = Field(
        None, max_length=80, description="Required without a comment-scope token."
    )
    email: str | None = Field(
        None,
        max_length=254,
        json_schema_extra={"format": "email"},
        description="Required without a comment-scope token; never shown.",
    )
    url: str | None = Field(None, max_length=300, description="The commenter's website.")
    parent: int | None = Field(None, ge=1, description="The number of the comment answered.")
    wants_replies: bool = Field(False, description="E-mail replies (after a confirmation).")


class CommentEditIn(InputSchema):
    body: str = Field(min_length=1, max_length=settings.COMMENT_MAX_CHARS, pattern=NOT_BLANK)


class CommentOwnOut(Schema):
    """A comment as its author sees it, right after writing or changing it."""

    number: int
    state: str = Field(description="published, held (awaiting a moderator) or deleted")
    body_html: str
    created_at: datetime.datetime
    edited_at: datetime.datetime | None
    permalink: str
    edit_until: datetime.datetime = Field(
        description="Until when the author may change or delete it."
    )


class CommentCreatedOut(CommentOwnOut):
    edit_token: str | None = Field(
        description="Send as `X-Comment-Token` (or `Authorization: Comment <token>`) to change "
        "or delete this comment until `edit_until`. None when a token posted it."
    )


# Moderation


class ModerationCommentOut(Schema):
    id: int
    post: str
    number: int
    parent: int | None
    status: str
    status_reason: str
    spam_score: float | None
    name: str
    email: str
    url: str
    username: str | None
    ip_address: str | None
    user_agent: str
    body: str
    body_html: str
    created_at: datetime.datetime
    edited_at: datetime.datetime | None
    permalink: str

    @staticmethod
    def resolve_post(obj) -> str:
        return obj.post.slug

    @staticmethod
    def resolve_parent(obj) -> int | None:
        return obj.parent.number if obj.parent_id else None

    @staticmethod
    def resolve_username(obj) -> str | None:
        return obj.user.get_username() if obj.user_id else None

    @staticmethod
    def resolve_permalink(obj) -> str:
        return absolute(f"{obj.post.get_absolute_url()}#{obj.anchor}")


class ModerationActionIn(InputSchema):
    reason: str = Field("", max_length=200, description="Kept with the decision.")


class TokenOut(Schema):
    name: str
    prefix: str
    username: str
    scopes: list[str]
    created_at: datetime.datetime
    expires_at: datetime.datetime | None
    last_used_at: datetime.datetime | None

    @staticmethod
    def resolve_username(obj) -> str:
        return obj.user.get_username()
