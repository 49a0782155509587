import pytest
from django.urls import reverse

from masthead.people.tests.factories import AuthorProfileFactory, UserFactory
from masthead.publishing import services
from masthead.publishing.models import Post, PostStatus, Revision
from masthead.publishing.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = UserFactory(staff=True)
    client.force_login(user)
    return user


def _form(**overrides):
    data = {
        "title": "A new column",
        "slug": "",
        "dek": "",
        "body": "Words.",
        "author": AuthorProfileFactory().pk,
        "status": PostStatus.DRAFT,
        "published_at_0": "",
        "published_at_1": "",
        "is_comments_open": "on",
        "revisions-TOTAL_FORMS": "0",
        "revisions-INITIAL_FORMS": "0",
    }
    return data | overrides


def test_editor_creates_a_post_and_a_revision_is_kept(client, editor):
    response = client.post(reverse("admin:publishing_post_add"), _form())
    assert response.status_code == 302, response.context["adminform"].form.errors
    post = Post.objects.get()
    assert post.slug == "a-new-column"
    assert post.revisions.get().created_by == editor


def test_empty_title_is_a_form_error(client, editor):
    response = client.post(reverse("admin:publishing_post_add"), _form(title="   "))
    assert response.status_code == 200
    assert "title" in response.context["adminform"].form.errors
    assert not Post.objects.exists()


def test_taken_slug_is_a_form_error(client, editor):
    PostFactory(slug="taken")
    response = client.post(reverse("admin:publishing_post_add"), _form(slug="taken"))
    assert response.status_code == 200
    assert "Post with this Slug already exists." in str(response.context["adminform"].form.errors)
    assert Post.objects.count() == 1


def test_scheduling_needs_a_time(client, editor):
    response = client.post(reverse("admin:publishing_post_add"), _form(status=PostStatus.SCHEDULED))
    assert response.status_code == 200
    assert "published_at" in response.context["adminform"].form.errors
    assert not Post.objects.exists()


def test_editor_schedules_a_post_for_later(client, editor):
    data = _form(status=PostStatus.SCHEDULED, published_at_0="2099-01-02", published_at_1="08:00")
    assert client.post(reverse("admin:publishing_post_add"), data).status_code == 302
    post = Post.objects.get()
    assert post.status == PostStatus.SCHEDULED and not post.is_published
    change = client.get(reverse("admin:publishing_post_change", args=[post.pk])).content.decode()
    assert post.get_preview_url() in change


def test_changelist_searches_and_filters(client, editor):
    PostFactory(title="Harbour sale", published=True)
    PostFactory(title="Budget night")
    url = reverse("admin:publishing_post_changelist")
    assert "Budget night" not in client.get(url, {"q": "harbour"}).content.decode()
    drafts = client.get(url, {"status__exact": "draft"}).content.decode()
    assert "Budget night" in drafts and "Harbour sale" not in drafts
    assert "Preview</a>" in drafts


def test_revision_compare_and_restore(client, editor):
    post = PostFactory.build(author=AuthorProfileFactory(), body="First words.")
    services.post_save(post=post)
    first = post.revisions.get()
    post.body = "Second words."
    services.post_save(post=post)
    page = client.get(reverse("admin:publishing_post_revision", args=[post.pk, first.pk]))
    assert page.status_code == 200
    diff = page.content.decode()
    assert "First&nbsp;words." in diff and "Second&nbsp;words." in diff
    restore = reverse("admin:publishing_post_revision_restore", args=[post.pk, first.pk])
    assert client.get(restore).status_code == 405
    assert client.post(restore).status_code == 302
    post.refresh_from_db()
    assert post.body == "First words."
    assert Revision.objects.filter(post=post).count() == 3


def test_restore_needs_change_permission(client):
    post = PostFactory()
    revision = post.revisions.create(title=post.title, body="old")
    viewer = UserFactory(is_staff=True)
    client.force_login(viewer)
    url = reverse("admin:publishing_post_revision_restore", args=[post.pk, revision.pk])
    assert client.post(url).status_code == 403
    post.refresh_from_db()
    assert post.body != "old"


@pytest.mark.parametrize("name", ["image", "authorprofile", "category", "tag"])
def test_other_editorial_admin_pages_load(client, editor, name):
    app = {"image": "media", "authorprofile": "people"}.get(name, "publishing")
    assert client.get(reverse(f"admin:{app}_{name}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:{app}_{name}_add")).status_code == 200
