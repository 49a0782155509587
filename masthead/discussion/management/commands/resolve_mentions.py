from django.core.management.base import BaseCommand, CommandError

from masthead.discussion import services
from masthead.publishing.models import Post


class Command(BaseCommand):
    help = 'Re-link opening "@Name:" replies to the comments they answer, on one post or all.'

    def add_arguments(self, parser):
        parser.add_argument("--post", metavar="SLUG", help="Only this post (default: every post).")

    def handle(self, *args, post=None, **options):
        posts = Post.objects.filter(comments__isnull=False).distinct().order_by("pk")
        if post:
            posts = Post.objects.filter(slug=post)
            if not posts.exists():
                raise CommandError(f"No post with the slug {post!r}.")
        changed = sum(services.mention_resolve_for_post(post=each) for each in posts)
        self.stdout.write(f"{changed} @-reply link(s) changed on {len(posts)} post(s).")
