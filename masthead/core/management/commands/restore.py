from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from masthead.core.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Replace the database and uploaded media with those of a backup written by "
        "`masthead backup`, then check every table against it. See docs/operations.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The backup (.tar.gz) to restore.")
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive",
            help="Do not ask for confirmation.",
        )  # fmt: skip

    def handle(self, *args, path, interactive=True, **options):
        if not path.is_file():
            raise CommandError(f"No backup at {path}")
        if interactive:
            answer = input(
                f"This replaces ALL data and media of this site with the backup {path}.\n"
                "Type 'yes' to continue: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            manifest = backup_restore(path=path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {len(manifest['tables'])} tables from {manifest['created_at']}; "
                "every table matches the backup."
            )
        )
