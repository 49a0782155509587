"""The moderators' forms and the readers' report form. Rules that need the database (who exists,
what a rule would catch) are the services'; these check shape and say what is wrong."""

import datetime

from django import forms
from django.utils import timezone

from masthead.moderation.models import AuditAction, BanKind, ReportReason, RuleKind, RuleList
from masthead.moderation.selectors import PHASE_LABELS, TABS
from masthead.moderation.services import ACTIONS

ACTION_CHOICES = [(name, name) for name in ACTIONS] + [("approve_commenter", "approve_commenter")]
MAX_BULK_IDS = 500


class ActionForm(forms.Form):
    """One decision on one comment, the selected ones, or everything matching a filter."""

    action = forms.CharField(max_length=40)
    ids = forms.CharField(required=False)
    scope = forms.ChoiceField(choices=[("selected", "selected"), ("all", "all")], required=False)
    tab = forms.ChoiceField(choices=[(t, t) for t in TABS], required=False)
    q = forms.CharField(required=False, max_length=200)
    post = forms.CharField(required=False, max_length=250)
    note = forms.CharField(required=False, max_length=200)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.id_list = data.getlist("ids") if data is not None else []

    def clean_action(self):
        action = self.cleaned_data["action"].strip()
        if action not in dict(ACTION_CHOICES):
            known = ", ".join(name for name, _ in ACTION_CHOICES)
            raise forms.ValidationError(f"“{action}” is not a moderation action (use: {known}).")
        return action

    def clean_ids(self):
        try:
            ids = [int(value) for value in self.id_list if str(value).strip()]
        except ValueError:
            raise forms.ValidationError("Comment ids must be numbers.") from None
        if len(ids) > MAX_BULK_IDS:
            raise forms.ValidationError(f"Choose at most {MAX_BULK_IDS} comments at once.")
        return ids

    def clean(self):
        data = super().clean()
        if data.get("scope") != "all" and not data.get("ids") and not self.errors:
            raise forms.ValidationError("Choose at least one comment.")
        if data.get("action") == "approve_commenter" and len(data.get("ids") or []) != 1:
            raise forms.ValidationError("Approving a commenter's comments needs one comment.")
        return data


class BanForm(forms.Form):
    kind = forms.ChoiceField(choices=BanKind.choices, initial=BanKind.EMAIL)
    value = forms.CharField(
        label="Who",
        max_length=254,
        help_text="A user name, an e-mail address, or an IP address or range (192.0.2.0/24).",
    )
    reason = forms.CharField(max_length=200, required=False)
    expires_in_days = forms.IntegerField(
        label="Expires after (days)",
        required=False,
        min_value=1,
        max_value=3650,
        help_text="Leave empty for a ban that lasts until it is lifted.",
    )

    def clean_value(self):
        value = self.cleaned_data["value"].strip()
        if not value:
            raise forms.ValidationError("Say who to ban.")
        return value

    @property
    def expires_at(self) -> datetime.datetime | None:
        days = self.cleaned_data.get("expires_in_days")
        return timezone.now() + datetime.timedelta(days=days) if days else None


class RuleForm(forms.Form):
    kind = forms.ChoiceField(choices=RuleKind.choices, initial=RuleKind.WORD)
    list_name = forms.ChoiceField(label="List", choices=RuleList.choices, initial=RuleList.SUSPECT)
    pattern = forms.CharField(
        label="Word, phrase or domain",
        max_length=100,
        required=False,
        help_text="Whole words; end with * to match any ending (idiot* matches idiots). A domain "
        "also matches its subdomains.",
    )
    confirm_broad = forms.BooleanField(
        label="Yes, save it although it would have caught more than half of them", required=False
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="What is wrong with it?", choices=ReportReason.choices, widget=forms.RadioSelect
    )
    detail = forms.CharField(
        label="Anything the moderators should know (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label="By", required=False, max_length=150)
    action = forms.ChoiceField(choices=[("", "Any action"), *AuditAction.choices], required=False)
    phase = forms.ChoiceField(
        label="Pipeline phase",
        choices=[("", "Any phase"), *PHASE_LABELS.items()],
        required=False,
    )
    comment = forms.IntegerField(label="Comment id", required=False, min_value=1)
    since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
