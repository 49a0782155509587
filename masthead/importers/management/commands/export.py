from django.core.management.base import BaseCommand

from masthead.importers.export import export_wordpress


class Command(BaseCommand):
    help = "Write the site as a WordPress export (WXR 1.2) to standard output."

    def add_arguments(self, parser):
        parser.add_argument("format", choices=["wordpress"])

    def handle(self, *args, format, **options):
        for chunk in export_wordpress():
            self.stdout.write(chunk, ending="")
