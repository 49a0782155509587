from django.urls import path

from masthead.moderation import views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("act/", views.act, name="act"),
    path("comments/<int:pk>/", views.comment_detail, name="comment"),
    path("audit/", views.audit, name="audit"),
    path("bans/", views.bans, name="bans"),
    path("bans/<int:pk>/lift/", views.ban_lift, name="ban-lift"),
    path("rules/", views.rules, name="rules"),
    path("rules/<int:pk>/off/", views.rule_disable, name="rule-off"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("report/<int:pk>/", views.report, name="report"),
]
