from django.core.exceptions import ValidationError
from django.db import models


class Image(models.Model):
    """A picture with what readers and screen readers need to know about it."""

    file = models.ImageField(
        upload_to="images/%Y/%m/", width_field="width", height_field="height", blank=True
    )
    source_url = models.URLField(
        max_length=500, blank=True, help_text="Where the picture lives when it is not stored here."
    )
    width = models.PositiveIntegerField(null=True, editable=False)
    height = models.PositiveIntegerField(null=True, editable=False)
    alt_text = models.CharField(
        max_length=300, help_text="What the picture shows, for people who cannot see it."
    )
    caption = models.TextField(blank=True)
    credit = models.CharField(max_length=200, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    import_ref = models.CharField(
        max_length=200, null=True, blank=True, unique=True, editable=False,
        help_text="Where an imported row came from, so a re-run updates it instead of copying.",
    )  # fmt: skip

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.alt_text[:80]

    def clean(self):
        if not self.file and not self.source_url:
            raise ValidationError("Upload a picture or give the address where it lives.")

    @property
    def url(self) -> str:
        return self.file.url if self.file else self.source_url
