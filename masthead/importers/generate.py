"""Writes a WordPress export of any size, for import benchmarks and tests.

The file is streamed out item by item, so making a 500,000-comment export costs no memory.
Threads are flat with some replies nested (parents sometimes after their children, as real
exports have them), a few "@Name:" replies, every comment status, and attachments.
"""

import datetime
import random
from typing import TextIO
from xml.sax.saxutils import escape

WORDS = (  # noqa: SIM905
    "harbour council vote ferry budget quay mayor election pilots dredger tide consortium "
    "agenda petition minutes ward rates pension fleet market wall fishermen contract annex "
    "opposition majority deadline referendum dock lease inquiry timetable fares"
).split()
NAMES = [
    "Argon", "C. Clavin", "Marguerite T.", "oldsalt", "Petra Vance", "Ines Maro", "Rook",
    "Hallie", "Wren", "Oskar L.", "Tomasz", "Dee from Lowtown", "J. Ferrant", "Bramble",
]  # fmt: skip
STATUSES = ["1"] * 90 + ["0"] * 4 + ["spam"] * 4 + ["trash"] * 2


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _sentence(rng: random.Random, low: int = 6, high: int = 18) -> str:
    words = rng.choices(WORDS, k=rng.randint(low, high))
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def write_wxr(out: TextIO, *, posts: int, comments: int, seed: int = 7) -> None:
    rng = random.Random(seed)  # noqa: S311 (sample text, not secrets)
    start = datetime.datetime(2015, 1, 1, tzinfo=datetime.UTC)
    out.write(
        '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
        'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
        "<title>Generated Gazette</title><link>https://generated.example.org</link>\n"
        "<wp:wxr_version>1.2</wp:wxr_version>\n"
        "<wp:base_site_url>https://generated.example.org</wp:base_site_url>\n"
    )
    for login in ("editor", "columnist", "reporter"):
        out.write(
            f"<wp:author><wp:author_login>{_cdata(login)}</wp:author_login>"
            f"<wp:author_email>{login}@generated.example.org</wp:author_email>"
            f"<wp:author_display_name>{_cdata(login.title())}</wp:author_display_name>"
            "</wp:author>\n"
        )
    for index, word in enumerate(WORDS[:12]):
        out.write(
            f"<wp:category><wp:category_nicename>{word}</wp:category_nicename>"
            f"<wp:category_parent>{WORDS[0] if index else ''}</wp:category_parent>"
            f"<wp:cat_name>{_cdata(word.title())}</wp:cat_name></wp:category>\n"
        )
    next_comment = 1
    for number in range(1, posts + 1):
        share = comments // posts + (1 if number <= comments % posts else 0)
        when = start + datetime.timedelta(hours=number * 6)
        _write_post(out, rng, number, when, share, next_comment)
        next_comment += share
    out.write("</channel>\n</rss>\n")


def _write_post(out, rng, number, when, share, first_comment) -> None:
    paragraphs = "\n\n".join(_sentence(rng, 20, 60) for _ in range(rng.randint(3, 8)))
    body = paragraphs + (
        "\n\n<blockquote><p>"
        + _sentence(rng)
        + "</p><cite>The Generated Ledger</cite></blockquote>"
    )
    stamp = when.strftime("%Y-%m-%d %H:%M:%S")
    title = f"{_sentence(rng, 4, 9)[:-1]} ({number})"
    out.write(
        f"<item><title>{_cdata(title)}</title>"
        f"<link>https://generated.example.org/?p={number}</link>"
        f"<dc:creator>{_cdata(rng.choice(['editor', 'columnist', 'reporter']))}</dc:creator>"
        f'<guid isPermaLink="false">https://generated.example.org/?p={number}</guid>'
        f"<content:encoded>{_cdata(body)}</content:encoded>"
        f"<excerpt:encoded>{_cdata(_sentence(rng))}</excerpt:encoded>"
        f"<wp:post_id>{number}</wp:post_id><wp:post_date>{stamp}</wp:post_date>"
        f"<wp:post_date_gmt>{stamp}</wp:post_date_gmt>"
        f"<wp:comment_status>open</wp:comment_status><wp:post_name>post-{number}</wp:post_name>"
        "<wp:status>publish</wp:status><wp:post_parent>0</wp:post_parent>"
        "<wp:post_type>post</wp:post_type>"
        f'<category domain="category" nicename="{WORDS[number % 12]}">'
        f"{_cdata(WORDS[number % 12].title())}</category>\n"
    )
    ids = list(range(first_comment, first_comment + share))
    order = ids[:]
    if len(order) > 3:
        order[1], order[2] = order[2], order[1]  # a child may come before its parent
    for position, comment_id in enumerate(order):
        _write_comment(out, rng, comment_id, ids, when + datetime.timedelta(minutes=position + 1))
    out.write("</item>\n")


def _write_comment(out, rng, comment_id, ids, when) -> None:
    earlier = [i for i in ids if i < comment_id]
    parent = rng.choice(earlier) if earlier and rng.random() < 0.2 else 0
    name = rng.choice(NAMES)
    text = _sentence(rng, 5, 40)
    if earlier and not parent and rng.random() < 0.05:
        text = f"@{rng.choice(NAMES)}: {text}"
    stamp = when.strftime("%Y-%m-%d %H:%M:%S")
    out.write(
        f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
        f"<wp:comment_author>{_cdata(name)}</wp:comment_author>"
        f"<wp:comment_author_email>{escape(name.lower().replace(' ', '').replace('.', ''))}"
        "@example.org</wp:comment_author_email>"
        f"<wp:comment_author_IP>192.0.2.{comment_id % 250}</wp:comment_author_IP>"
        f"<wp:comment_date_gmt>{stamp}</wp:comment_date_gmt>"
        f"<wp:comment_content>{_cdata(text)}</wp:comment_content>"
        f"<wp:comment_approved>{rng.choice(STATUSES)}</wp:comment_approved>"
        f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>\n"
    )
