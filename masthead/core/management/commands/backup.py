from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from masthead.core.backups import BackupError, backup_create, default_path


class Command(BaseCommand):
    help = (
        "Write a consistent backup of the database and uploaded media to a .tar.gz, while the "
        "site keeps running. See docs/operations.md."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="Where to write it (default: var/backups/masthead-<time>.tar.gz).",
        )

    def handle(self, *args, output=None, **options):
        path = output or default_path()
        try:
            manifest = backup_create(output=path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(count for count, _ in manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {len(manifest['tables'])} tables ({rows} rows) and media to {path}"
            )
        )
