from django.urls import path

from masthead.publishing import views

app_name = "publishing"

urlpatterns = [
    path("", views.front_page, name="front"),
    path("search/", views.search_results, name="search"),
    path("preview/<uuid:token>/", views.post_preview, name="preview"),
    path("category/<slug:slug>/", views.category_detail, name="category"),
    path("tag/<slug:slug>/", views.tag_detail, name="tag"),
    path("author/<slug:slug>/", views.author_detail, name="author"),
    path("<int:year>/", views.YearArchive.as_view(), name="archive-year"),
    path("<int:year>/<int:month>/", views.MonthArchive.as_view(), name="archive-month"),
    path("<int:year>/<int:month>/<int:day>/", views.DayArchive.as_view(), name="archive-day"),
    path("<int:year>/<int:month>/<int:day>/<slug:slug>/", views.post_detail, name="post"),
]
