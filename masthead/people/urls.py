from django.urls import path

from masthead.people import views

app_name = "people"

urlpatterns = [
    path("password-reset/", views.PasswordReset.as_view(), name="password-reset"),
    path("password-reset/sent/", views.PasswordResetDone.as_view(), name="password-reset-done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirm.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/done/",
        views.PasswordResetComplete.as_view(),
        name="password-reset-complete",
    ),
]
