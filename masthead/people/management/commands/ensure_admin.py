import secrets

from django.conf import settings
from django.core.management.base import BaseCommand

from masthead.people.models import User


class Command(BaseCommand):
    help = (
        "Create the 'admin' account once, with a random password printed here and kept in "
        "var/admin_password. Does nothing when the account exists."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        password_file = settings.VAR_DIR / "admin_password"
        if User.objects.filter(username=username).exists():
            where = f" (password in {password_file})" if password_file.exists() else ""
            self.stdout.write(f"Admin account '{username}' already exists{where}.")
            return
        password = secrets.token_urlsafe(16)
        User.objects.create_superuser(username=username, email="", password=password)
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        password_file.write_text(password + "\n")
        password_file.chmod(0o600)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created admin account '{username}' with password {password} "
                f"(kept in {password_file}). Sign in at /admin/."
            )
        )
