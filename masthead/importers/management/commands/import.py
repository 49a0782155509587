import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from masthead.core import pagecache
from masthead.core.database import statistics_refresh
from masthead.importers.exceptions import ImportFileError
from masthead.importers.models import ImportRun, ImportRunStatus
from masthead.importers.progress import ProgressReporter


class DryRunRollback(Exception):
    pass


class Command(BaseCommand):
    help = "Import a site: `import wordpress FILE.xml` or `import disqus FILE.xml`."

    def add_arguments(self, parser):
        parser.add_argument("source", choices=["wordpress", "disqus"])
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Read and report; keep nothing.")
        parser.add_argument(
            "--fetch-media",
            action="store_true",
            help="Download attachments (never from private or loopback addresses).",
        )
        parser.add_argument(
            "--learn", action="store_true", help="Teach the spam model from comments marked spam."
        )

    def handle(self, *args, source, file, dry_run, fetch_media, learn, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        run = ImportRun.objects.create(source=source, filename=str(file), is_dry_run=dry_run)
        progress = ProgressReporter(file, run=run, stream=self.stderr, enabled=sys.stderr.isatty())
        try:
            report = self._run(source, file, dry_run, fetch_media, learn, progress)
        except ImportFileError as error:
            self._finish(run, ImportRunStatus.FAILED, progress, message=str(error))
            raise CommandError(f"{file}: {error}") from error
        except DryRunRollback as rolled_back:
            report = rolled_back.args[0]
        finally:
            progress.close()
        self._finish(run, ImportRunStatus.FINISHED, progress, report=report)
        if not dry_run:
            # Imports write in bulk, past the services that purge page by page, and the query
            # planner's statistics still describe the site before them.
            pagecache.purge_all()
            statistics_refresh()
        self._print(report, dry_run)

    def _run(self, source, file, dry_run, fetch_media, learn, progress):
        from masthead.importers import disqus, media, wordpress

        if source == "disqus":
            return disqus.disqus_import(file, progress=progress.update)
        options = {
            "learn": learn,
            "fetch_media": media.fetch_into if fetch_media else None,
            "progress": progress.update,
        }
        if not dry_run:
            return wordpress.wordpress_import(file, **options)
        with transaction.atomic():
            report = wordpress.wordpress_import(file, **options)
            raise DryRunRollback(report)

    def _finish(self, run, status, progress, *, report=None, message=""):
        run.status, run.finished_at, run.message = status, timezone.now(), message
        if report is not None:
            run.counts, run.warnings, run.items_done = (
                report.summary(),
                report.warnings,
                report.items,
            )
        run.save()

    def _print(self, report, dry_run):
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        heading = "Would import (dry run, nothing kept):" if dry_run else "Imported:"
        self.stdout.write(heading)
        for kind, outcomes in report.summary().items():
            parts = ", ".join(f"{n} {outcome}" for outcome, n in outcomes.items())
            self.stdout.write(f"  {kind}: {parts}")
