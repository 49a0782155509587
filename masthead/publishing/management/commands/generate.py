"""Make a realistic site of any size, for benchmarks: ``masthead generate --posts N --comments M``.

Posts get authors, nested categories, tags, bodies of news length in Markdown (rendered once per
body shape, so a million rows cost what their inserts cost) and publication times spread over
past years. Rows go in with ``bulk_create`` in batches; a progress bar shows on a terminal.

Comments come from the discussion app when it is installed: this command calls
``masthead.discussion.generate.comments_generate(post_ids=[...], count=M, seed=S, progress=bar)``
(imported lazily, so publishing never imports discussion).
"""

import datetime
import random

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from tqdm import tqdm

from masthead.core.database import statistics_refresh
from masthead.core.markdown import plain_text, render_article
from masthead.people.models import AuthorProfile
from masthead.publishing.models import Category, Post, PostStatus, Tag

WORDS = (  # noqa: SIM905
    "harbour council vote ferry budget quay mayor election pilots dredger tide consortium agenda "
    "petition minutes ward rates pension fleet market wall fishermen contract annex opposition "
    "majority deadline referendum dock lease inquiry timetable fares school library clinic bridge "
    "tram housing rent planning zoning audit treasurer committee hearing witness report "
    "survey district river flood levy grant union strike wage hospital nurses teachers"
).split()
SECTIONS = {
    "Politics": ["City hall", "Elections", "Courts"],
    "Economy": ["Harbour", "Housing", "Labour"],
    "Opinion": ["Columns", "Letters"],
    "Culture": [],
    "Science": [],
}
FIRST = ["Ada", "Ben", "Cora", "Dev", "Elin", "Farid", "Greta", "Hugo", "Ines", "Jon", "Kai"]
LAST = ["Quill", "Marsh", "Okafor", "Lind", "Varga", "Hale", "Moreau", "Sato", "Brandt"]
BODY_SHAPES = 40
# Place names, one or two per post: rarer words, as a reader's search usually is.
PLACES = [
    f"{first}{second}"
    for first in ("Ard", "Bel", "Cor", "Dun", "Elm", "Fen", "Gal", "Hol", "Ivy", "Kel")
    for second in ("brook", "haven", "mere", "stead", "wick", "moor", "ford", "gate", "holm", "by")
]


class Command(BaseCommand):
    help = "Add a generated site of the given size (posts, terms, authors; comments if installed)."

    def add_arguments(self, parser):
        parser.add_argument("--posts", type=int, default=1000)
        parser.add_argument("--comments", type=int, default=0)
        parser.add_argument("--authors", type=int, default=0, help="default: one per 200 posts")
        parser.add_argument("--tags", type=int, default=0, help="default: one per 20 posts")
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--batch", type=int, default=1000)

    def handle(self, *args, posts, comments, authors, tags, seed, batch, **options):
        if comments and not apps.is_installed("masthead.discussion"):
            raise CommandError("--comments needs the discussion app installed.")
        rng = random.Random(seed)  # noqa: S311 (sample text, not secrets)
        quiet = options["verbosity"] == 0
        with transaction.atomic():
            author_ids = self._authors(rng, authors or max(3, posts // 200))
            category_ids = self._categories()
            tag_ids = self._tags(rng, tags or max(10, posts // 20))
            post_ids = self._posts(rng, posts, batch, author_ids, category_ids, tag_ids, quiet)
        if comments:
            self._comments(post_ids, comments, seed, quiet)
        statistics_refresh()
        self.stdout.write(f"Generated {len(post_ids)} posts and {comments} comments.")

    def _authors(self, rng, count) -> list[int]:
        start = AuthorProfile.objects.count()
        made = [
            AuthorProfile(
                display_name=f"{rng.choice(FIRST)} {rng.choice(LAST)} {start + n}",
                slug=f"writer-{start + n}",
                bio="Reports on the city, its *harbour* and its council.",
                bio_html=render_article("Reports on the city, its *harbour* and its council."),
            )
            for n in range(count)
        ]
        return [author.pk for author in AuthorProfile.objects.bulk_create(made)]

    def _categories(self) -> list[int]:
        ids = []
        for name, children in SECTIONS.items():
            parent, _ = Category.objects.get_or_create(slug=slugify(name), defaults={"name": name})
            ids.append(parent.pk)
            for child in children:
                ids.append(
                    Category.objects.get_or_create(
                        slug=slugify(child), defaults={"name": child, "parent": parent}
                    )[0].pk
                )
        return ids

    def _tags(self, rng, count) -> list[int]:
        start = Tag.objects.count()
        made = [
            Tag(name=f"{rng.choice(WORDS)} {start + n}", slug=f"topic-{start + n}")
            for n in range(count)
        ]
        return [tag.pk for tag in Tag.objects.bulk_create(made)]

    def _posts(self, rng, count, batch, author_ids, category_ids, tag_ids, quiet) -> list[int]:
        bodies = [_body(rng) for _ in range(BODY_SHAPES)]
        rendered = [(body, html, plain_text(html)) for body, html in bodies]
        start, now = Post.objects.count(), timezone.now()
        ids = []
        bar = tqdm(total=count, unit="post", disable=quiet or None, desc="posts")
        for offset in range(0, count, batch):
            rows = [
                _post(rng, start + n, now, rng.choice(author_ids), rng.choice(rendered))
                for n in range(offset, min(offset + batch, count))
            ]
            made = Post.objects.bulk_create(rows)
            _file_under(rng, made, category_ids, tag_ids)
            ids.extend(post.pk for post in made)
            bar.update(len(rows))
        bar.close()
        return ids

    def _comments(self, post_ids, count, seed, quiet) -> None:
        try:
            from masthead.discussion.generate import comments_generate
        except ImportError as error:
            raise CommandError(
                "The discussion app has no comment generator yet "
                "(masthead.discussion.generate.comments_generate)."
            ) from error
        with tqdm(total=count, unit="comment", disable=quiet or None, desc="comments") as bar:
            comments_generate(post_ids=post_ids, count=count, seed=seed, progress=bar)


def _sentence(rng, low=8, high=22) -> str:
    words = rng.choices(WORDS, k=rng.randint(low, high))
    return " ".join([words[0].capitalize(), *words[1:]]) + "."


def _body(rng) -> tuple[str, str]:
    parts = []
    for n in range(rng.randint(8, 16)):
        if n and n % 5 == 0:
            parts.append(f"> {_sentence(rng)}\n>\n> — The Harbour Ledger")
        elif n == 3:
            parts.append(f"## {_sentence(rng, 3, 6)[:-1]}")
        else:
            parts.append(" ".join(_sentence(rng) for _ in range(rng.randint(3, 6))))
    body = "\n\n".join(parts)
    return body, render_article(body)


def _post(rng, number, now, author_id, rendered) -> Post:
    body, html, text = rendered
    place = rng.choice(PLACES)
    dateline = f"{place.upper()} — "
    body, html, text = dateline + body, html.replace("<p>", f"<p>{dateline}", 1), dateline + text
    title = f"{_sentence(rng, 4, 9)[:-1]}, report {number}"
    published_at = now - datetime.timedelta(minutes=rng.randint(60, 60 * 24 * 365 * 3))
    return Post(
        title=title,
        slug=f"{slugify(title)[:200]}-{number}",
        dek=_sentence(rng, 10, 20),
        body=body,
        body_html=html,
        body_text=text,
        author_id=author_id,
        status=PostStatus.PUBLISHED,
        published_at=published_at,
    )


def _file_under(rng, posts, category_ids, tag_ids) -> None:
    by_category = Post.categories.through
    by_tag = Post.tags.through
    by_category.objects.bulk_create(
        by_category(post_id=post.pk, category_id=category)
        for post in posts
        for category in rng.sample(category_ids, k=rng.randint(1, 2))
    )
    by_tag.objects.bulk_create(
        by_tag(post_id=post.pk, tag_id=tag)
        for post in posts
        for tag in rng.sample(tag_ids, k=min(len(tag_ids), rng.randint(2, 5)))
    )
