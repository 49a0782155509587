import pytest

from masthead.publishing.search import post_search
from masthead.publishing.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def posts():
    return {
        "title": PostFactory(published=True, title="Ferries and the harbour vote", body="Boats."),
        "body": PostFactory(
            published=True,
            title="Budget night",
            body="The council spent hours on the budget. Then, late, the harbour came up once.",
        ),
        "draft": PostFactory(title="Harbour draft", body="harbour harbour harbour"),
    }


def test_search_ranks_title_matches_first_and_skips_drafts(posts):
    hits = post_search("harbour")
    assert [hit.post for hit in hits] == [posts["title"], posts["body"]]


def test_snippets_highlight_matches_and_escape_the_rest():
    PostFactory(published=True, title="Escapes", body="A <b>bold</b> claim about tariffs & trade.")
    hits = post_search("tariffs")
    snippet = str(hits[0].snippet)
    assert "<mark>tariffs</mark>" in snippet
    assert "<b>" not in snippet


def test_stemming_finds_other_forms_of_a_word():
    post = PostFactory(published=True, title="Voting", body="Councillors voted against it.")
    assert [hit.post for hit in post_search("vote")] == [post]


@pytest.mark.parametrize("query", ['"', "harbour AND", "NEAR(", "*", "title:x", "-", "''"])
def test_query_syntax_from_readers_is_treated_as_words(posts, query):
    post_search(query)  # must not raise


def test_search_follows_edits_and_deletes(posts):
    post = posts["title"]
    post.title, post.body = "Renamed", "Nothing about boats."
    post.save()
    assert list(post_search("ferries")) == []
    posts["body"].delete()
    assert list(post_search("budget")) == []


def test_search_page(client, posts):
    html = client.get("/search/", {"q": "harbour"}).content.decode()
    assert "2 results for “harbour”" in html
    assert "<mark>" in html
    assert 'name="robots" content="noindex"' in html


def test_search_page_with_no_match_says_so(client, posts):
    html = client.get("/search/", {"q": "zeppelin"}).content.decode()
    assert "Nothing matches “zeppelin”" in html


def test_index_survives_a_table_rebuild(posts):
    from django.db import connection

    from masthead.publishing.search import sqlite_index_ensure

    if connection.vendor != "sqlite":
        pytest.skip("SQLite keeps its index with triggers; PostgreSQL needs none")
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER publishing_post_fts_update")  # what a table rebuild does
    sqlite_index_ensure()
    post = posts["title"]
    post.title = "Lighthouse keepers"
    post.save()
    assert [hit.post for hit in post_search("lighthouse")] == [post]


def test_a_page_of_results_loads_only_its_own_posts(django_assert_max_num_queries):
    for n in range(30):
        PostFactory(published=True, title=f"Harbour news {n}", body="harbour")
    results = post_search("harbour")
    assert len(results) == 30
    with django_assert_max_num_queries(6):
        page = results[10:20]
    assert len(page) == 10 and len({hit.post.pk for hit in page}) == 10
