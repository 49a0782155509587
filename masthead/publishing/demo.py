"""Loads the demo site: authors, terms, a picture and four posts, once."""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from masthead.media.drawing import harbour_at_dusk
from masthead.media.models import Image
from masthead.people.models import AuthorProfile
from masthead.publishing import demo_content, services
from masthead.publishing.models import Category, Post, PostStatus, Tag


def demo_load() -> str:
    """Create whatever of the demo site is missing; what exists is left exactly as it is."""
    posts = demo_posts()
    return f"{len(posts)} posts by {len(demo_content.AUTHORS)} authors"


def demo_posts() -> list[Post]:
    with transaction.atomic():
        authors = {data["slug"]: _author(data) for data in demo_content.AUTHORS}
        categories = {}
        for data in demo_content.CATEGORIES:
            categories[data["slug"]] = Category.objects.get_or_create(
                slug=data["slug"],
                defaults={
                    "name": data["name"],
                    "description": data["description"],
                    "parent": categories.get(data["parent"]),
                },
            )[0]
        tags = {
            slug: Tag.objects.get_or_create(slug=slug, defaults={"name": name})[0]
            for name, slug in demo_content.TAGS
        }
        return [_post(data, authors, categories, tags) for data in demo_content.POSTS]


def _author(data) -> AuthorProfile:
    since = data.get("status_since")
    author, _ = AuthorProfile.objects.get_or_create(
        slug=data["slug"],
        defaults={
            "display_name": data["display_name"],
            "bio": data["bio"],
            "status": data["status"],
            "status_since": datetime.date.fromisoformat(since) if since else None,
        },
    )
    return author


def _image() -> Image:
    data = demo_content.IMAGE
    image = Image.objects.filter(alt_text=data["alt_text"]).first()
    if image is None:
        image = Image(alt_text=data["alt_text"], caption=data["caption"], credit=data["credit"])
        image.file.save(data["filename"], ContentFile(harbour_at_dusk()), save=False)
        image.save()
    return image


def _post(data, authors, categories, tags) -> Post:
    post = Post.objects.filter(slug=data["slug"]).first()
    if post is not None:
        return post
    published_at = (timezone.now() - datetime.timedelta(days=data["days_ago"])).replace(
        hour=data["hour"], minute=0, second=0, microsecond=0
    )
    post = Post(
        title=data["title"],
        slug=data["slug"],
        dek=data["dek"],
        body=data["body"],
        author=authors[data["author"]],
        featured_image=_image() if data["featured_image"] else None,
        status=PostStatus.PUBLISHED,
        published_at=published_at,
    )
    services.post_save(post=post)
    post.categories.set([categories[slug] for slug in data["categories"]])
    post.tags.set([tags[slug] for slug in data["tags"]])
    return post
