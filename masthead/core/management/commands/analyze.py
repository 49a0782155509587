from django.core.management.base import BaseCommand

from masthead.core.database import statistics_refresh


class Command(BaseCommand):
    help = (
        "Refresh the query planner's statistics. `masthead serve` does it as it starts, "
        "`masthead generate` when it has made a site and `masthead import` after an import."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--only-behind",
            action="store_true",
            help="On PostgreSQL, only the tables autovacuum would have analysed by now.",
        )

    def handle(self, *args, only_behind=False, **options):
        refreshed = statistics_refresh(only_behind=only_behind)
        if options["verbosity"]:
            self.stdout.write(
                f"Refreshed the query planner's statistics of {refreshed} tables."
                if refreshed
                else "The query planner's statistics were up to date: nothing to do."
            )
