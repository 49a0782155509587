"""Posts: filters, detail, search, and the newsroom's writes."""

import datetime

import pytest
from django.utils import timezone

from masthead.api.tests.conftest import ApiClient
from masthead.api.tests.factories import make_token
from masthead.people.tests.factories import AuthorProfileFactory, UserFactory
from masthead.publishing.models import Post, PostStatus, Revision
from masthead.publishing.tests.factories import CategoryFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["items"]]


def test_only_published_posts_are_listed(api):
    shown = PostFactory(published=True)
    PostFactory()
    PostFactory(scheduled=True)
    assert slugs(api.get("/api/v1/posts")) == [shown.slug]


def test_filter_by_category_takes_in_subcategories(api):
    parent = CategoryFactory(name="Politics")
    child = CategoryFactory(name="Council", parent=parent)
    inside = PostFactory(published=True, categories=[child])
    PostFactory(published=True)
    assert slugs(api.get(f"/api/v1/posts?category={parent.slug}")) == [inside.slug]


def test_filter_by_tag_author_and_dates(api):
    tag, author = TagFactory(), AuthorProfileFactory()
    old = PostFactory(published=True, tags=[tag], author=author,
                      published_at=timezone.now() - datetime.timedelta(days=30))  # fmt: skip
    new = PostFactory(published=True, tags=[tag], author=author)
    PostFactory(published=True)
    assert set(slugs(api.get(f"/api/v1/posts?tag={tag.slug}"))) == {old.slug, new.slug}
    assert set(slugs(api.get(f"/api/v1/posts?author={author.slug}"))) == {old.slug, new.slug}
    week_ago = (timezone.now() - datetime.timedelta(days=7)).date().isoformat()
    assert slugs(api.get(f"/api/v1/posts?tag={tag.slug}&published_after={week_ago}")) == [new.slug]
    assert slugs(api.get(f"/api/v1/posts?tag={tag.slug}&published_before={week_ago}")) == [old.slug]


def test_an_unknown_filter_term_is_a_404(api):
    assert api.get("/api/v1/posts?tag=no-such-tag").status_code == 404


def test_the_detail_has_the_rendered_body_and_absolute_urls(api, settings):
    post = PostFactory(published=True, body="Some *emphasis* and <script>x</script>.")
    found = api.get(f"/api/v1/posts/{post.slug}").json()
    assert "<em>emphasis</em>" in found["body_html"]
    assert "<script>" not in found["body_html"]
    assert found["url"] == f"{settings.SITE_URL}{post.get_absolute_url()}"
    assert "body" not in found and "status" not in found


def test_drafts_are_not_public(api):
    assert api.get(f"/api/v1/posts/{PostFactory().slug}").status_code == 404


def test_search(api):
    hit = PostFactory(published=True, title="Lighthouse keepers return")
    PostFactory(published=True, title="Budget vote delayed")
    assert slugs(api.get("/api/v1/search?q=lighthouse")) == [hit.slug]
    assert slugs(api.get("/api/v1/search?q=%21%21%21")) == []


@pytest.mark.usefixtures("one_rate_window")
def test_search_shares_the_search_pages_limit(api, settings):
    settings.SEARCH_RATE_LIMIT = 1
    assert api.get("/api/v1/search?q=harbour").status_code == 200
    response = api.get("/api/v1/search?q=harbour")
    assert response.status_code == 429
    assert "Retry-After" in response


def test_lists_read_in_fixed_queries(api, django_assert_max_num_queries):
    tag, section = TagFactory(), CategoryFactory()
    for _ in range(12):
        PostFactory(published=True, tags=[tag], categories=[section])
    # The rate-limit counter (two statements in a savepoint), the posts, and one prefetch each
    # for categories, tags and authors.
    with django_assert_max_num_queries(8):
        assert len(slugs(api.get("/api/v1/posts?limit=12"))) == 12


@pytest.fixture
def newsroom():
    editor = UserFactory(staff=True)
    AuthorProfileFactory(user=editor)
    return ApiClient(make_token("publish", user=editor)[1])


def test_create_update_and_publish(newsroom, api):
    section, tag = CategoryFactory(), TagFactory()
    body = {
        "title": "Tide tables revised",
        "body": "The *new* tables.",
        "categories": [section.slug],
        "tags": [tag.slug],
    }
    created = newsroom.send("post", "/api/v1/posts", body)
    assert created.status_code == 201
    slug = created.json()["slug"]
    assert slug == "tide-tables-revised"
    assert api.get(f"/api/v1/posts/{slug}").status_code == 404
    changed = newsroom.send("patch", f"/api/v1/posts/{slug}", {"dek": "Twice a day."}).json()
    assert changed["dek"] == "Twice a day." and changed["title"] == "Tide tables revised"
    published = newsroom.send("post", f"/api/v1/posts/{slug}/publish", {}).json()
    assert published["status"] == PostStatus.PUBLISHED
    assert api.get(f"/api/v1/posts/{slug}").json()["categories"][0]["slug"] == section.slug
    # One revision when made, one when the dek changed; publishing changes no words.
    assert Revision.objects.filter(post__slug=slug).count() == 2


def test_publishing_in_the_future_schedules(newsroom):
    post = PostFactory()
    at = (timezone.now() + datetime.timedelta(days=2)).isoformat()
    found = newsroom.send("post", f"/api/v1/posts/{post.slug}/publish", {"at": at}).json()
    assert found["status"] == PostStatus.SCHEDULED


def test_titles_that_repeat_get_their_own_slugs(newsroom):
    first = newsroom.send("post", "/api/v1/posts", {"title": "Same words"}).json()
    second = newsroom.send("post", "/api/v1/posts", {"title": "Same words"}).json()
    assert (first["slug"], second["slug"]) == ("same-words", "same-words-2")


def test_a_taken_slug_is_a_409(newsroom):
    PostFactory(slug="taken")
    response = newsroom.send("post", "/api/v1/posts", {"title": "New", "slug": "taken"})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "slug_taken"


def test_unknown_terms_are_named(newsroom):
    response = newsroom.send("post", "/api/v1/posts", {"title": "New", "tags": ["nope"]})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"tags.0": "No such slug 'nope'."}
    assert not Post.objects.filter(title="New").exists()


@pytest.mark.parametrize("title", ["   ", "\x1c\x1d", "\x00"])
def test_blank_titles_are_refused(newsroom, title):
    assert newsroom.send("post", "/api/v1/posts", {"title": title}).status_code == 422


def test_a_user_without_an_author_profile_cannot_create():
    client = ApiClient(make_token("publish")[1])
    response = client.send("post", "/api/v1/posts", {"title": "Orphan"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "no_author_profile"
