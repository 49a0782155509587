import pytest
from django.core.exceptions import ValidationError

from masthead.media.models import Image
from masthead.publishing.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def test_a_picture_needs_a_file_or_an_address():
    with pytest.raises(ValidationError):
        Image(alt_text="Nothing").full_clean()


def test_a_picture_kept_elsewhere_is_shown_from_its_address(client):
    image = Image.objects.create(
        alt_text="Gulls over the market",
        caption="The morning after the vote.",
        source_url="https://gazette.example.org/uploads/gulls.jpg",
    )
    post = PostFactory(published=True, featured_image=image)
    html = client.get(post.get_absolute_url()).content.decode()
    assert (
        '<img src="https://gazette.example.org/uploads/gulls.jpg" alt="Gulls over the market">'
        in html
    )
    assert (
        '<meta property="og:image" content="https://gazette.example.org/uploads/gulls.jpg">' in html
    )
