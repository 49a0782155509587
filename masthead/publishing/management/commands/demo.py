from django.core.management.base import BaseCommand

from masthead.publishing.demo import demo_load


class Command(BaseCommand):
    help = "Load the demo site once; running it again changes nothing."

    def handle(self, *args, **options):
        posts = demo_load()
        self.stdout.write(f"Demo site ready: {len(posts)} posts. Front page at /.")
