from django.core.management.base import BaseCommand

from masthead.core.database import statistics_refresh


class Command(BaseCommand):
    help = (
        "Refresh the query planner's statistics. `masthead serve` does it as it starts, and "
        "`masthead generate` when it has made a site; run it after a large import."
    )

    def handle(self, *args, **options):
        refreshed = statistics_refresh()
        if options["verbosity"]:
            self.stdout.write(
                "The query planner's statistics are up to date."
                if refreshed
                else "PostgreSQL keeps its own statistics (autovacuum): nothing to do."
            )
