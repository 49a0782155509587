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
    discussion = rendering.discussion_context(request, post)
    # A page others may be shown from the cache gets its form (and CSRF token) after loading.
    discussion["form_deferred"] = rendering.is_shared(request)
    return render_to_string("discussion/discussion.html#page", discussion, request=request)
