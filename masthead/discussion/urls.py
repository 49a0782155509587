from django.urls import path

from masthead.discussion import feeds, views

app_name = "discussion"

urlpatterns = [
    path("comments/feed/", feeds.SiteCommentsAtom(), name="site-feed"),
    path("comments/unsubscribe/<str:token>/", views.subscription_unsubscribe, name="unsubscribe"),
    path("comments/confirm/<str:token>/", views.subscription_confirm, name="confirm"),
    path("comments/<slug:slug>/", views.comment_create, name="create"),
    path("comments/<slug:slug>/feed/", feeds.PostCommentsAtom(), name="post-feed"),
    path("comments/<slug:slug>/form/", views.comment_form_fragment, name="form"),
    path("comments/<slug:slug>/write/", views.comment_write, name="write"),
    path("comments/<slug:slug>/thread/", views.comment_thread, name="thread"),
    path("comments/<slug:slug>/poll/", views.comment_poll, name="poll"),
    path("comments/<slug:slug>/<int:number>/", views.comment_permalink, name="permalink"),
    path("comments/<slug:slug>/<int:number>/reply/", views.comment_reply_form, name="reply"),
    path("comments/<slug:slug>/<int:number>/edit/", views.comment_edit, name="edit"),
    path("comments/<slug:slug>/<int:number>/delete/", views.comment_delete, name="delete"),
]
