from django.contrib import admin
from django.utils.html import format_html

from masthead.media.models import Image


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "alt_text", "credit", "uploaded_at"]
    search_fields = ["alt_text", "caption", "credit"]
    readonly_fields = ["width", "height", "uploaded_at"]

    @admin.display(description="Picture")
    def thumbnail(self, image):
        if not image.url:
            return ""
        return format_html('<img src="{}" alt="" style="max-height:48px">', image.url)
