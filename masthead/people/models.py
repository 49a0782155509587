from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Length, Trim
from django.db.models.lookups import GreaterThan
from django.utils.text import slugify

from masthead.core.links import cached_reverse
from masthead.core.markdown import render_article


class User(AbstractUser):
    """The site's account. Custom from the first migration so it can grow without surgery."""


class AuthorStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    RETIRED = "retired", "Retired"
    IN_MEMORIAM = "in_memoriam", "In memoriam"


class AuthorProfile(models.Model):
    user = models.OneToOneField(
        User, on_delete=models.PROTECT, related_name="author_profile", null=True, blank=True
    )
    display_name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True, blank=True)
    bio = models.TextField(blank=True, help_text="Markdown.")
    bio_html = models.TextField(blank=True, editable=False)
    avatar = models.ImageField(upload_to="avatars/%Y/", blank=True)
    status = models.CharField(
        max_length=20, choices=AuthorStatus.choices, default=AuthorStatus.ACTIVE
    )
    status_since = models.DateField(
        null=True, blank=True, help_text="When the author retired or died."
    )
    import_ref = models.CharField(
        max_length=200, null=True, blank=True, unique=True, editable=False,
        help_text="Where an imported row came from, so a re-run updates it instead of copying.",
    )  # fmt: skip

    class Meta:
        ordering = ["display_name"]
        constraints = [
            models.CheckConstraint(
                condition=GreaterThan(Length(Trim("display_name")), 0),
                name="author_display_name_not_blank",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs):
        self.display_name = self.display_name.strip()
        if not self.slug:
            self.slug = slugify(self.display_name)[:120]
        self.bio_html = render_article(self.bio)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return cached_reverse("publishing:author", slug=self.slug)

    @property
    def is_retired(self) -> bool:
        return self.status == AuthorStatus.RETIRED

    @property
    def is_in_memoriam(self) -> bool:
        return self.status == AuthorStatus.IN_MEMORIAM
