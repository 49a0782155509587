from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from masthead.core import views as core_views
from masthead.people import views as people_views

handler404 = "masthead.core.views.page_not_found"
handler500 = "masthead.core.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", core_views.health, name="health"),
    path("api/v1/", include("masthead.api.urls")),
    path("account/", include("masthead.people.urls")),
    # The admin's sign-in page offers "Forgotten your password?" when this name exists.
    path(
        "account/password-reset/",
        people_views.PasswordReset.as_view(),
        name="admin_password_reset",
    ),
    path("moderate/", include("masthead.moderation.urls")),
    path("", include("masthead.feeds.urls")),
    path("", include("masthead.discussion.urls")),
    path("", include("masthead.publishing.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", core_views.media),
    ]
