"""``masthead token create|list|revoke``: API tokens from the command line.

    masthead token create --user NAME --scope moderate [--scope publish] [--expires-days N]
    masthead token list
    masthead token revoke PREFIX

``create`` prints the token once; only its SHA-256 is stored, so it cannot be shown again.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from masthead.api import services
from masthead.api.exceptions import ApiTokenScopeError
from masthead.api.models import ApiScope, ApiToken


class Command(BaseCommand):
    help = "Create, list or revoke API tokens."

    def add_arguments(self, parser):
        verbs = parser.add_subparsers(dest="verb", required=True, metavar="{create,list,revoke}")
        create = verbs.add_parser("create", help="Make a token and print it once.")
        create.add_argument("--user", required=True, help="The user name the token acts as.")
        create.add_argument(
            "--scope",
            action="append",
            required=True,
            choices=ApiScope.values,
            dest="scopes",
            help="What it may do (repeatable).",
        )
        create.add_argument("--name", default="", help="What uses it (default: the command).")
        create.add_argument("--expires-days", type=int, help="Expire after this many days.")
        verbs.add_parser("list", help="Every token, newest first (never the secret).")
        revoke = verbs.add_parser("revoke", help="Revoke a token at once.")
        revoke.add_argument("prefix", help="The 8 characters after mh_ (see `token list`).")

    def handle(self, *args, verb: str, **options):
        getattr(self, verb)(**options)

    def create(self, *, user, scopes, name, expires_days, **options):
        found = get_user_model().objects.filter(username=user).first()
        if found is None:
            raise CommandError(f"No user {user!r}.")
        if expires_days is not None and expires_days < 1:
            raise CommandError("--expires-days must be 1 or more.")
        expires_at = (
            timezone.now() + datetime.timedelta(days=expires_days) if expires_days else None
        )
        try:
            token, raw = services.token_create(
                user=found, name=name or "command line", scopes=scopes, expires_at=expires_at
            )
        except ApiTokenScopeError as error:
            raise CommandError(str(error)) from error
        until = f"until {token.expires_at:%Y-%m-%d %H:%M %Z}" if token.expires_at else "no expiry"
        self.stderr.write(
            f"Token mh_{token.prefix}_… for {user}: {', '.join(token.scopes)}; {until}. "
            "It is shown once; keep it now:"
        )
        self.stdout.write(raw)

    def list(self, **options):
        tokens = ApiToken.objects.select_related("user")
        if not tokens.exists():
            self.stdout.write("No API tokens.")
            return
        for token in tokens:
            self.stdout.write(
                f"{token.prefix}  {token.user.get_username():<15} {','.join(token.scopes):<28} "
                f"{_state(token):<22} {token.name}"
            )

    def revoke(self, *, prefix, **options):
        token = ApiToken.objects.filter(prefix=prefix.removeprefix("mh_").strip("_")).first()
        if token is None:
            raise CommandError(f"No token with prefix {prefix!r} (see `masthead token list`).")
        services.token_revoke(token=token)
        self.stdout.write(f"Revoked mh_{token.prefix}_… ({token.name}).")


def _state(token: ApiToken) -> str:
    if token.revoked_at:
        return f"revoked {token.revoked_at:%Y-%m-%d}"
    if token.expires_at and token.expires_at <= timezone.now():
        return f"expired {token.expires_at:%Y-%m-%d}"
    used = f"used {token.last_used_at:%Y-%m-%d}" if token.last_used_at else "never used"
    return used
