"""How other apps' templates show a discussion: ``{% render_discussion post %}``.

Publishing never imports discussion; its post page asks for the thread through this tag.
"""

from django import template
from django.template.loader import render_to_string

from masthead.discussion import rendering

register = template.Library()


@register.simple_tag(takes_context=True)
def render_discussion(context, post):
    request = context["request"]
    if not post.is_published:
        return render_to_string("discussion/discussion.html#unpublished")
    discussion = rendering.discussion_context(
        request,
        post,
        form=context.get("comment_form"),
        preview_html=context.get("comment_preview_html", ""),
    )
    return render_to_string("discussion/discussion.html#page", discussion, request=request)
