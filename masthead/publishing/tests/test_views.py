import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from masthead.people.tests.factories import AuthorProfileFactory, UserFactory
from masthead.publishing.models import Category, Tag
from masthead.publishing.templatetags.publishing import visible_terms
from masthead.publishing.tests.factories import CategoryFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_front_page_lists_published_posts_newest_first(client):
    old = PostFactory(published=True, published_at=timezone.now() - datetime.timedelta(days=3))
    new = PostFactory(published=True)
    PostFactory(title="Secret draft")
    PostFactory(scheduled=True, title="Tomorrow's news")
    html = client.get("/").content.decode()
    assert html.index(new.title) < html.index(old.title)
    assert "Secret draft" not in html
    assert "Tomorrow&#x27;s news" not in html


def test_front_page_paginates(client, settings):
    settings.POSTS_PER_PAGE = 2
    PostFactory.create_batch(5, published=True)
    first = client.get("/")
    assert first.context["page_obj"].paginator.num_pages == 3
    assert 'rel="next"' in first.content.decode()
    assert len(client.get("/?page=3").context["page_obj"]) == 1


def test_post_page_shows_the_model_page_parts(client):
    politics = CategoryFactory(name="Politics")
    post = PostFactory(
        published=True,
        title="The harbour sale",
        dek="What the vote means.",
        body="Opening.\n\n> They sold it.\n>\n> — The Harbour Ledger",
        author=AuthorProfileFactory(display_name="Ada Quill", retired=True),
        categories=[politics, CategoryFactory(name="Economy")],
        tags=[TagFactory(name="harbour")],
    )
    html = client.get(post.get_absolute_url()).content.decode()
    assert '<h1 class="p-name">The harbour sale</h1>' in html
    assert "What the vote means." in html
    assert "<figcaption>— <cite>The Harbour Ledger</cite></figcaption>" in html
    assert "Filed under" in html
    assert 'href="/category/politics/">Politics</a>' in html
    assert 'rel="tag" href="/tag/harbour/">harbour</a>' in html
    assert "Ada Quill" in html and "Retired" in html
    assert "1 post</a>" in html
    assert 'id="comments"' in html and "Discussion" in html


def test_what_writers_typed_is_escaped_on_the_post_page(client):
    post = PostFactory(
        published=True,
        title="Rates <script>alert(1)</script>",
        dek="Up & <b>down</b>",
        author=AuthorProfileFactory(display_name="Ada <i>Quill</i>"),
        tags=[TagFactory(name="<harbour>")],
    )
    html = client.get(post.get_absolute_url()).content.decode()
    article = html[html.index("<article") : html.index("</article>")]
    assert "Rates &lt;script&gt;alert(1)&lt;/script&gt;</h1>" in article
    assert "Up &amp; &lt;b&gt;down&lt;/b&gt;" in article
    assert "Ada &lt;i&gt;Quill&lt;/i&gt;</a>" in article
    assert "&lt;harbour&gt;</a>" in article
    assert "<script>" not in article and "<i>" not in article


def test_filed_under_skips_terms_whose_names_are_blank():
    # The database refuses blank names; rows from before that rule, or from raw SQL, are
    # still kept off the page.
    terms = [Category(name="Politics", slug="p"), Category(name="  ", slug="b"), Tag(name="")]
    assert [term.slug for term in visible_terms(terms)] == ["p"]


def test_in_memoriam_author_is_shown_with_care(client):
    post = PostFactory(published=True, author=AuthorProfileFactory(in_memoriam=True))
    html = client.get(post.get_absolute_url()).content.decode()
    assert "In memoriam, 11 February 2025" in html
    assert "in-memoriam" in html


def test_post_count_counts_only_published_posts(client):
    author = AuthorProfileFactory()
    PostFactory.create_batch(3, published=True, author=author)
    PostFactory(author=author)
    PostFactory(scheduled=True, author=author)
    html = client.get(author.get_absolute_url()).content.decode()
    assert "3 posts</a>" in html


def test_draft_and_future_posts_are_not_found(client):
    draft = PostFactory()
    scheduled = PostFactory(scheduled=True)
    for post in (draft, scheduled):
        assert client.get(post.get_absolute_url()).status_code == 404


def test_post_url_with_wrong_date_redirects_to_the_canonical_one(client):
    post = PostFactory(published=True)
    response = client.get(f"/2001/1/1/{post.slug}/")
    assert response.status_code == 301
    assert response["Location"] == post.get_absolute_url()


def test_preview_is_for_staff_only(client):
    draft = PostFactory(title="Unpublished thoughts")
    assert client.get(draft.get_preview_url()).status_code == 302
    client.force_login(UserFactory())
    assert client.get(draft.get_preview_url()).status_code == 302
    client.force_login(UserFactory(staff=True))
    response = client.get(draft.get_preview_url())
    assert response.status_code == 200
    assert "Unpublished thoughts" in response.content.decode()
    assert "no-cache" in response["Cache-Control"]


def test_category_page_includes_posts_in_child_categories(client):
    politics = CategoryFactory(name="Politics")
    elections = CategoryFactory(name="Elections", parent=politics)
    in_child = PostFactory(published=True, categories=[elections])
    elsewhere = PostFactory(published=True, categories=[CategoryFactory()])
    html = client.get(politics.get_absolute_url()).content.decode()
    assert in_child.title in html and elsewhere.title not in html
    child_html = client.get(elections.get_absolute_url()).content.decode()
    assert 'href="/category/politics/">Politics</a>' in child_html


def test_tag_and_author_pages(client):
    tag = TagFactory(name="ferries")
    tagged = PostFactory(published=True, tags=[tag])
    other = PostFactory(published=True)
    html = client.get(tag.get_absolute_url()).content.decode()
    assert tagged.title in html and other.title not in html
    author_html = client.get(other.author.get_absolute_url()).content.decode()
    assert other.title in author_html and tagged.title not in author_html


@pytest.mark.parametrize("level", ["year", "month", "day"])
def test_archives_list_the_posts_of_their_period(client, level):
    when = timezone.now().replace(year=2025, month=3, day=14, hour=12)
    inside = PostFactory(published=True, published_at=when)
    outside = PostFactory(published=True, published_at=when - datetime.timedelta(days=400))
    args = {"year": [2025], "month": [2025, 3], "day": [2025, 3, 14]}[level]
    response = client.get(reverse(f"publishing:archive-{level}", args=args))
    html = response.content.decode()
    assert response.status_code == 200
    assert inside.title in html and outside.title not in html


def test_empty_archive_is_404(client):
    assert client.get("/1999/").status_code == 404


def test_unknown_url_gets_the_styled_404(client):
    response = client.get("/no/such/page/here/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We couldn't find that page" in html
    assert "site.css" in html


def test_500_page_is_styled(client):
    client.raise_request_exception = False
    from masthead.core.views import server_error

    response = server_error(None)
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    assert b"site.css" in response.content
