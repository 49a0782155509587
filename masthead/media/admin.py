from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.utils.html import format_html

from masthead.media.models import Image

STORE_FAILED = (
    "The picture could not be stored (the server said: {reason}). Nothing was kept; "
    "try again, or tell whoever runs the site if this keeps happening."
)


class ImageAdminForm(forms.ModelForm):
    class Meta:
        model = Image
        fields = ["file", "source_url", "alt_text", "caption", "credit"]

    def _post_clean(self):
        """Store the upload while the form can still say it failed (a full disk, say)."""
        super()._post_clean()
        upload = self.cleaned_data.get("file")
        if self._errors or not isinstance(upload, UploadedFile):
            return
        try:
            self.instance.file.save(upload.name, upload, save=False)
        except OSError as error:
            self.instance.file = None
            self.add_error("file", STORE_FAILED.format(reason=error.strerror or error))


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageAdminForm
    list_display = ["thumbnail", "alt_text", "credit", "uploaded_at"]
    search_fields = ["alt_text", "caption", "credit"]
    readonly_fields = ["width", "height", "uploaded_at"]

    @admin.display(description="Picture")
    def thumbnail(self, image):
        if not image.url:
            return ""
        return format_html('<img src="{}" alt="" style="max-height:48px">', image.url)
