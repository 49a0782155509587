from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.generic.dates import DayArchiveView, MonthArchiveView, YearArchiveView

from masthead.core import ratelimit
from masthead.publishing import search, selectors
from masthead.publishing.models import Category, Tag


def _page(request, queryset):
    return Paginator(queryset, settings.POSTS_PER_PAGE).get_page(request.GET.get("page"))


def front_page(request):
    page = _page(request, selectors.post_list_published())
    return render(request, "publishing/post_list.html", {"page_obj": page, "is_front": True})


def post_detail(request, year, month, day, slug):
    post = selectors.post_get_published(slug=slug)
    if post is None:
        raise Http404("No such post")
    when = timezone.localtime(post.published_at)
    if (when.year, when.month, when.day) != (year, month, day):
        return redirect(post, permanent=True)
    return render(request, "publishing/post_detail.html", {"post": post})


@never_cache
@staff_member_required
def post_preview(request, token):
    post = selectors.post_get_for_preview(token=token)
    if post is None:
        raise Http404("No such draft")
    return render(request, "publishing/post_detail.html", {"post": post, "is_preview": True})


def category_detail(request, slug):
    category = get_object_or_404(Category, slug=slug)
    page = _page(request, selectors.post_list_for_category(category))
    context = {
        "category": category,
        "ancestors": selectors.category_ancestors(category),
        "page_obj": page,
    }
    return render(request, "publishing/category_detail.html", context)


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    page = _page(request, selectors.post_list_for_tag(tag))
    return render(request, "publishing/tag_detail.html", {"tag": tag, "page_obj": page})


def author_detail(request, slug):
    author = get_object_or_404(selectors.author_profiles_with_counts(), slug=slug)
    page = _page(request, selectors.post_list_for_author(author))
    return render(request, "publishing/author_detail.html", {"author": author, "page_obj": page})


def search_results(request):
    query = request.GET.get("q", "").strip()[:200]
    if query:
        key = f"search:ip:{ratelimit.client_ip(request)}"
        limit = ratelimit.hit(key, settings.SEARCH_RATE_LIMIT, 60)
        if not limit.allowed:
            return ratelimit.too_many_requests(request, limit.retry_after)
    results = search.post_search(query) if query else []
    page = Paginator(results, settings.POSTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "publishing/search.html", {"query": query, "page_obj": page})


class ArchiveMixin:
    """What the year, month and day archives share: published posts by their date."""

    queryset = selectors.post_list_published()
    date_field = "published_at"
    month_format = "%m"
    paginate_by = settings.POSTS_PER_PAGE
    allow_empty = False
    make_object_list = True

    def get_queryset(self):
        return selectors.post_list_published()


class YearArchive(ArchiveMixin, YearArchiveView):
    template_name = "publishing/post_archive.html"


class MonthArchive(ArchiveMixin, MonthArchiveView):
    template_name = "publishing/post_archive.html"


class DayArchive(ArchiveMixin, DayArchiveView):
    template_name = "publishing/post_archive.html"
