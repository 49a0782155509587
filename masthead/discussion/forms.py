"""The comment form, and how it tells people from scripts without bothering the people.

Each form carries a signed timestamp of when it was drawn, tied to its post: a form that was
tampered with, moved to another post or is more than a day old is refused with a plain message,
and the form's age goes to the moderation pipeline (a form sent two seconds after it was drawn
was not typed). A honeypot field, hidden from people and from assistive technology, goes there
too: scripts fill in every field they find.

The rules about the comment itself (empty, too long, posted twice, closed post) live in
``services.comment_submit``; the view shows their messages on this form.
"""

import time

from django import forms
from django.core import signing
from django.forms.renderers import Jinja2

TIMESTAMP_SALT = "masthead.discussion.form"
MAX_FORM_AGE = 24 * 3600


def form_timestamp(post_id: int) -> str:
    return signing.dumps([post_id, int(time.time())], salt=TIMESTAMP_SALT)


class CommentBodyField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Comment")
        kwargs.setdefault(
            "help_text",
            "*emphasis*, **strong**, [links](https://…), > quotes and `code` work; nothing else.",
        )
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 6}))
        super().__init__(required=False, strip=False, **kwargs)


class CommentForm(forms.Form):
    # Drawn with every page's form and every answer to a comment: Django's own widget markup,
    # rendered by Jinja2 in a third of the time (docs/benchmarks.md).
    default_renderer = Jinja2()

    name = forms.CharField(max_length=80, required=False)
    email = forms.EmailField(
        required=False, help_text="Never shown. Used only for the replies you ask for."
    )
    url = forms.URLField(label="Website", required=False, max_length=300, assume_scheme="https")
    body = CommentBodyField()
    wants_replies = forms.BooleanField(label="Email me replies", required=False)
    remember = forms.BooleanField(label="Remember my name and email here", required=False)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    timestamp = forms.CharField(widget=forms.HiddenInput)
    homepage = forms.CharField(label="Leave this field empty", required=False)

    def __init__(self, *args, post, user=None, **kwargs):
        self.post = post
        self.user = user if user is not None and user.is_authenticated else None
        kwargs.setdefault("initial", {})
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if not self.is_bound:  # a sent form keeps the timestamp it was drawn with
            self.initial.setdefault("timestamp", form_timestamp(post.pk))
        self.fields["homepage"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["url"].widget.attrs["autocomplete"] = "url"
        if self.user is not None:
            for name in ("name", "email", "url", "remember"):
                del self.fields[name]
        self.age_seconds: float | None = None

    @property
    def is_preview(self) -> bool:
        return self.data.get("action") == "preview"

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Please give a name to sign your comment with.")
        return name

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if not email:
            raise forms.ValidationError("Please give an email address. It is never shown.")
        return email

    def clean_timestamp(self):
        try:
            post_id, drawn_at = signing.loads(
                self.cleaned_data["timestamp"], salt=TIMESTAMP_SALT, max_age=MAX_FORM_AGE
            )
        except signing.SignatureExpired as error:
            raise forms.ValidationError(
                "This form is more than a day old. Copy your comment, reload the page and post "
                "it again."
            ) from error
        except (signing.BadSignature, ValueError, TypeError) as error:
            raise forms.ValidationError("This form was changed. Reload the page.") from error
        if post_id != self.post.pk:
            raise forms.ValidationError("This form belongs to another post. Reload the page.")
        self.age_seconds = max(0.0, time.time() - drawn_at)
        return self.cleaned_data["timestamp"]

    def identity(self) -> dict:
        """The commenter, for ``comment_submit``."""
        if self.user is not None:
            return {"user": self.user}
        data = self.cleaned_data
        return {"name": data["name"], "email": data["email"], "url": data.get("url", "")}


class CommentEditForm(forms.Form):
    body = CommentBodyField()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
