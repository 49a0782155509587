"""Mounted at /api/v1/. Every operation goes through ``masthead.api.http.api_view``; any other
address under the API answers a 404 in the error shape."""

from django.urls import include, path, re_path

from masthead.api import errors
from masthead.api.api import api
from masthead.api.http import api_view

operations, ninja_app, ninja_namespace = api.urls
for operation in operations:
    operation.callback = api_view(operation.callback)

urlpatterns = [
    path("", include((operations, ninja_app), namespace=ninja_namespace)),
    re_path(r"", api_view(errors.not_found)),
]
