"""API tokens in the admin: staff make one for a user, see it once, and revoke it."""

from django import forms
from django.contrib import admin, messages
from django.utils import timezone

from masthead.api import services
from masthead.api.exceptions import ApiTokenScopeError
from masthead.api.models import ApiScope, ApiToken


class ApiTokenForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        choices=ApiScope.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ApiToken
        fields = ["user", "name", "scopes", "expires_at"]

    def clean(self):
        cleaned = super().clean()
        user, scopes = cleaned.get("user"), cleaned.get("scopes") or []
        if user is not None:
            refused = [s for s in scopes if not services.scope_allowed(user, s)]
            if refused:
                self.add_error("scopes", f"{user} may not hold: {', '.join(refused)}.")
        expires_at = cleaned.get("expires_at")
        if expires_at is not None and expires_at <= timezone.now():
            self.add_error("expires_at", "The expiry must be in the future.")
        return cleaned


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    form = ApiTokenForm
    list_display = ["name", "masked", "user", "scope_list", "expires_at", "last_used_at", "state"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__username"]
    readonly_fields = ["masked", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    @admin.display(description="token")
    def masked(self, token) -> str:
        return f"mh_{token.prefix}_…" if token.prefix else "—"

    @admin.display(description="scopes")
    def scope_list(self, token) -> str:
        return ", ".join(token.scopes)

    @admin.display(description="state")
    def state(self, token) -> str:
        if token.revoked_at:
            return "revoked"
        return "usable" if token.is_usable else "expired"

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "name", "scopes", "expires_at"]
        return ["masked", "user", "name", "scopes", "created_at", "expires_at", "last_used_at",
                "revoked_at"]  # fmt: skip

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # A token's owner and powers are fixed: make a new one rather than widen an old one.
        return [*self.readonly_fields, "user", "scopes"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        try:
            token, raw = services.token_create(
                user=obj.user,
                name=obj.name,
                scopes=form.cleaned_data["scopes"],
                expires_at=obj.expires_at,
            )
        except ApiTokenScopeError as error:  # the form checked; a race is still possible
            self.message_user(request, str(error), messages.ERROR)
            return
        obj.pk = token.pk
        obj.prefix = token.prefix
        self.message_user(
            request,
            f"The token for “{token.name}” is {raw} — copy it now: it is stored hashed and "
            "will not be shown again.",
            messages.WARNING,
        )

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at=None):
            services.token_revoke(token=token)
        self.message_user(request, "Revoked.", messages.SUCCESS)

    def has_delete_permission(self, request, obj=None):
        # Revoked tokens stay, so their last use and owner remain on record.
        return False
