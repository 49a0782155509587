"""A full disk mid-upload leaves no half picture behind and tells the editor so."""

import errno
import io
import os
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from masthead.media.models import Image
from masthead.media.storage import AtomicFileSystemStorage
from masthead.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
HALF_FULL = "masthead.media.tests.test_storage.HalfFullDiskStorage"


class HalfFullDiskStorage(AtomicFileSystemStorage):
    """Writes half of what it is given, then finds the disk full."""

    def _write(self, path, content):
        data = content.read()
        with open(path, "wb") as out:
            out.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _files(root) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()]


def _png() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (4, 3), "teal").save(buffer, "PNG")
    return buffer.getvalue()


def test_a_complete_upload_lands_under_its_name(settings):
    storage = AtomicFileSystemStorage()
    name = storage.save("images/gulls.txt", ContentFile(b"gulls" * 1000))
    assert name == "images/gulls.txt"
    assert [p.name for p in _files(settings.MEDIA_ROOT)] == ["gulls.txt"]
    assert storage.open(name).read() == b"gulls" * 1000


def test_a_second_upload_with_the_same_name_does_not_replace_the_first():
    storage = AtomicFileSystemStorage()
    first = storage.save("images/gulls.txt", ContentFile(b"first"))
    second = storage.save("images/gulls.txt", ContentFile(b"second"))
    assert first != second
    assert storage.open(first).read() == b"first"
    assert storage.open(second).read() == b"second"


def test_a_full_disk_leaves_no_partial_file(settings):
    with pytest.raises(OSError) as raised:
        HalfFullDiskStorage().save("images/gulls.txt", ContentFile(b"x" * 10_000))
    assert raised.value.errno == errno.ENOSPC
    assert _files(settings.MEDIA_ROOT) == []


def test_the_site_stores_uploads_whole():
    from django.core.files.storage import storages

    assert isinstance(storages["default"], AtomicFileSystemStorage)


def _add_picture(client):
    client.force_login(UserFactory(staff=True))
    upload = SimpleUploadedFile("gulls.png", _png(), content_type="image/png")
    return client.post(
        "/admin/media/image/add/", {"file": upload, "alt_text": "Gulls over the market"}
    )


def test_the_admin_stores_a_picture(client, settings):
    response = _add_picture(client)
    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.width, image.height) == (4, 3)
    assert [p.name for p in _files(settings.MEDIA_ROOT)] == [Path(image.file.name).name]


def test_a_full_disk_is_a_form_error_in_the_admin_not_a_500(client, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": HALF_FULL}}
    response = _add_picture(client)
    assert response.status_code == 200
    assert "could not be stored" in response.content.decode()
    assert "No space left on device" in response.content.decode()
    assert not Image.objects.exists()
    assert _files(settings.MEDIA_ROOT) == []
