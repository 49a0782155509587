import datetime
import io
from pathlib import Path

import pytest

from masthead.importers.exceptions import ImportFileError
from masthead.importers.wxr import WxrAuthor, WxrItem, WxrTerm, read_wxr

DATA = Path(__file__).parent / "data"


def _read(path):
    with open(path, "rb") as source:
        return list(read_wxr(source))


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
def test_every_wxr_version_reads_the_same(version):
    records = _read(DATA / f"harbour-{version}.xml")
    authors = [r for r in records if isinstance(r, WxrAuthor)]
    terms = [r for r in records if isinstance(r, WxrTerm)]
    items = [r for r in records if isinstance(r, WxrItem)]
    assert [a.display_name for a in authors] == ["Mara Weller", "Jonas Brandt"]
    assert [(t.kind, t.slug, t.parent_slug) for t in terms][:2] == [
        ("category", "elections", "politics"),
        ("category", "politics", ""),
    ]
    assert [i.post_type for i in items] == ["attachment", "post", "post", "post", "page", "post"]
    post = items[1]
    assert post.wp_id == "101"
    assert post.date_gmt == datetime.datetime(2026, 3, 3, 21, 15, tzinfo=datetime.UTC)
    assert post.excerpt.startswith("A late vote")
    assert "<!-- wp:quote -->" in post.content  # CDATA kept verbatim
    assert ("post_tag", "ferries", "Ferries & Fares") in post.terms
    assert post.meta["_thumbnail_id"] == "50"
    assert [c.wp_id for c in post.comments] == ["7", "5", "8", "9", "10", "11", "12", "13"]
    assert post.comments[0].parent_id == "5"  # a child before its parent
    assert {c.approved for c in post.comments} == {"1", "0", "spam", "trash"}
    assert items[0].attachment_url.endswith("gulls.jpg")
    assert items[3].date_gmt == datetime.datetime(2026, 3, 11, 10, tzinfo=datetime.UTC)


def test_each_item_is_dropped_from_the_tree_once_read():
    source = (DATA / "harbour-1.2.xml").read_bytes()
    reader = read_wxr(io.BytesIO(source))
    items = [r for r in reader if isinstance(r, WxrItem)]
    assert len(items) == 6  # and the generator held no list of them: see bench for memory


def test_only_the_channel_of_the_root_holds_the_site():
    item = b"<item><title>%s</title><wp:post_type>post</wp:post_type></item>"
    payload = (
        b'<?xml version="1.0"?>\n<rss xmlns:wp="http://wordpress.org/export/1.2/">'
        b"<channel>" + item % b"In" + b"<item><channel/></item>" + item % b"Also in" + b"</channel>"
        + item % b"After the channel" + b"<channel/>" + item % b"After an empty one" + b"</rss>"
    )  # fmt: skip
    titles = [r.title for r in read_wxr(io.BytesIO(payload)) if isinstance(r, WxrItem)]
    assert titles == ["In", "", "Also in"]


@pytest.mark.parametrize(
    ("payload", "message", "line"),
    [
        (b"this is not xml at all", "not XML", 1),
        (b'<?xml version="1.0"?>\n<rss>\n<channel>\n<item><title>cut', "ends too early", 4),
        (b'<?xml version="1.0" encoding="UTF-8"?>\n<rss><channel>\n<title>\xff\xfe</title>',
         "not well-formed", 3),
        (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">]>\n<rss/>', "DOCTYPE", 2),
        (b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
         b"<rss>&x;</rss>", "DOCTYPE", 2),
        (b'<?xml version="1.0"?><html><body/></html>', "not a WordPress export", None),
    ],
)  # fmt: skip
def test_bad_files_stop_with_the_place_named(payload, message, line):
    with pytest.raises(ImportFileError) as caught:
        list(read_wxr(io.BytesIO(payload)))
    assert message in str(caught.value)
    assert caught.value.line == line
    if line is not None:
        assert str(caught.value).startswith(f"line {line}, column ")


def test_billion_laughs_is_refused_without_expanding():
    lol = b'<!ENTITY lol "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    payload = b'<?xml version="1.0"?>\n<!DOCTYPE lolz [' + lol + b"]>\n<rss>&lol9;</rss>"
    with pytest.raises(ImportFileError, match="DOCTYPE"):
        list(read_wxr(io.BytesIO(payload)))
