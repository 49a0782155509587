from django.conf import settings
from django.core.management.base import BaseCommand

from masthead.discussion import services


class Command(BaseCommand):
    help = (
        "Forget the IP address and user agent of comments older than "
        "MASTHEAD_COMMENT_IP_RETENTION_DAYS. Posting a comment queues this hourly anyway."
    )

    def handle(self, *args, **options):
        count = services.comment_personal_data_purge()
        days = settings.COMMENT_IP_RETENTION_DAYS
        self.stdout.write(f"Forgot the addresses of {count} comment(s) older than {days} days.")
