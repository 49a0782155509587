"""Settings that would otherwise fail only when the first comment arrives."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register()
def moderation_settings(app_configs, **kwargs) -> list[checks.CheckMessage]:
    from masthead.moderation.pipeline import comment_rate

    errors = []
    if settings.MODERATION_MODE not in {"post", "pre"}:
        errors.append(
            checks.Error(
                f"MASTHEAD_MODERATION_MODE={settings.MODERATION_MODE!r}: use post or pre.",
                id="moderation.E001",
            )
        )
    try:
        comment_rate()
    except ImproperlyConfigured as error:
        errors.append(checks.Error(str(error), id="moderation.E002"))
    return errors
