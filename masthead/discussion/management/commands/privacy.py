import json

from django.core.management.base import BaseCommand, CommandError

from masthead.discussion import privacy


class Command(BaseCommand):
    help = (
        "A commenter's stored data: `export EMAIL` prints it as JSON; `erase EMAIL` anonymises "
        "their comments (numbers stay; --delete also empties and removes them) and drops their "
        "reply subscriptions."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="Print everything stored about EMAIL.")
        export.add_argument("email")
        erase = actions.add_parser("erase", help="Forget the commenter at EMAIL.")
        erase.add_argument("email")
        erase.add_argument("--delete", action="store_true", help="Remove the comments' words too.")

    def handle(self, *args, action, email, delete=False, **options):
        try:
            if action == "export":
                data = privacy.commenter_export(email=email)
                self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
                return
            erased = privacy.commenter_erase(email=email, delete=delete)
        except privacy.PrivacyEmailInvalidError as error:
            raise CommandError(str(error)) from None
        done = "removed" if delete else "anonymised"
        self.stdout.write(
            f"{erased.comments} comment(s) {done}, "
            f"{erased.subscriptions} reply subscription(s) deleted."
        )
