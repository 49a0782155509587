import json

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from masthead.core import jinja

register = template.Library()

# The same escapes Django's json_script uses, so a title cannot close the <script> element.
JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def visible_terms(terms):
    """Terms worth printing: a blank name (say, from an old import) is never shown."""
    return [term for term in terms if (term.name or "").strip()]


@register.simple_tag(takes_context=True)
def post_article(context, post):
    """The post's article, drawn by Jinja2 (see masthead.core.jinja): a fifth of the page's
    rendering time in Django's templates."""
    terms = {
        "categories": visible_terms(post.filed_categories),
        "tags": visible_terms(post.filed_tags),
    }
    return _jinja("publishing/_article.html", context, post=post, **terms)


@register.simple_tag(takes_context=True)
def author_box(context, author):
    return _jinja("publishing/_author_box.html", context, author=author)


def _jinja(template_name: str, context, **values) -> str:
    html = jinja.render(template_name, {"site_name": context["site_name"], **values})
    return mark_safe(html)  # noqa: S308 (Jinja2 escapes as it renders)


@register.filter
def absolute(url: str) -> str:
    """A site path made absolute for feeds and metadata; full addresses pass unchanged."""
    if url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL + url


@register.simple_tag(takes_context=True)
def post_json_ld(context, post):
    site_url = context["site_url"]
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": post.title,
        "description": post.dek,
        "datePublished": post.published_at.isoformat() if post.published_at else None,
        "dateModified": post.updated_at.isoformat(),
        "mainEntityOfPage": site_url + post.get_absolute_url(),
        "author": [
            {
                "@type": "Person",
                "name": post.author.display_name,
                "url": site_url + post.author.get_absolute_url(),
            }
        ],
        "publisher": {"@type": "Organization", "name": context["site_name"]},
        "articleSection": [c.name for c in visible_terms(post.filed_categories)],
        "keywords": [t.name for t in visible_terms(post.filed_tags)],
    }
    if post.featured_image:
        data["image"] = [absolute(post.featured_image.url)]
    payload = json.dumps(data, ensure_ascii=False).translate(JSON_ESCAPES)
    nonce = context.get("csp_nonce")
    return format_html(
        '<script type="application/ld+json"{}>{}</script>',
        format_html(' nonce="{}"', nonce) if nonce is not None else "",
        mark_safe(payload),  # noqa: S308
    )
