from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from masthead.people.models import AuthorProfile, User

admin.site.register(User, UserAdmin)


@admin.register(AuthorProfile)
class AuthorProfileAdmin(admin.ModelAdmin):
    list_display = ["display_name", "slug", "status", "status_since", "user"]
    list_filter = ["status"]
    search_fields = ["display_name", "slug", "bio"]
    prepopulated_fields = {"slug": ["display_name"]}
    autocomplete_fields = ["user"]
