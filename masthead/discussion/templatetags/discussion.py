"""How other apps' templates show a discussion: ``{% render_discussion post %}``.

Publishing never imports discussion; its post page asks for the thread through this tag.
"""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from masthead.discussion import rendering

register = template.Library()


@register.simple_tag(takes_context=True)
def render_discussion(context, post):
    request = context["request"]
    if not post.is_published:
        return render_to_string("discussion/discussion.html#unpublished")
    return mark_safe(rendering.discussion_page_html(request, post))  # noqa: S308 (rendered)


@register.simple_tag(takes_context=True)
def comment_nodes(context, nodes):
    """The thread's comments, rendered by Jinja2 (see masthead.core.jinja)."""
    thread = context.get("thread")
    html = rendering.comments_html(
        context["post"],
        nodes=nodes,
        comments_open=bool(context.get("comments_open")),
        page_number=thread.page.number if thread else None,
    )
    return mark_safe(html)  # noqa: S308 (Jinja2 escaped it)


@register.simple_tag(takes_context=True)
def comment_alone(context, node):
    html = rendering.comments_html(
        context["post"], only=node, comments_open=bool(context.get("comments_open"))
    )
    return mark_safe(html)  # noqa: S308 (Jinja2 escaped it)
