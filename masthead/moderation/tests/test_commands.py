import io

import pytest
from django.core.management import CommandError, call_command

from masthead.moderation.spam.corpus import CorpusError, read_examples, without_duplicates
from masthead.moderation.spam.model import load

YOUTUBE_CSV = """COMMENT_ID,AUTHOR,DATE,CONTENT,CLASS
a1,Ann,2015-01-01T10:00:00,"check out my channel, subscribe for free money",1
a2,Bob,2015-01-01T11:00:00,I love this song so much,0
a3,Cy,2015-01-01T12:00:00,"subscribe to my channel http://spam.example.com",1
a4,Di,2015-01-01T13:00:00,"the chorus is the best part, what a song",0
a5,Ed,2015-01-01T14:00:00,"I love this song so much",0
"""
SMS_TSV = "Label\tSMS\nham\tsee you at the harbour at six\nspam\tWIN a FREE prize, call now\n"


def run(*args) -> str:
    out = io.StringIO()
    call_command("spam", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "comments.csv").write_text(YOUTUBE_CSV, encoding="utf-8")
    (folder / "messages").write_text(SMS_TSV, encoding="utf-8")
    (folder / "README.md").write_text("Notes, not data.", encoding="utf-8")
    return folder


def test_train_writes_a_model_that_loads(corpus, tmp_path):
    output = tmp_path / "model.json"
    printed = run("train", "--corpus-dir", str(corpus), "--output", str(output))
    assert "Training on 6 distinct comments (3 spam) from 2 files" in printed
    model = load(output)
    assert model.layers["comments"].spam == 2
    assert model.layers["comments"].ham == 2  # the repeated comment counted once
    assert model.layers["messages"].spam == 1
    assert output.read_text(encoding="utf-8").startswith("{")


def test_train_can_fit_the_regression_too(corpus, tmp_path):
    output = tmp_path / "model.json"
    printed = run("train", "--corpus-dir", str(corpus), "--output", str(output), "--regression")
    assert "regression weights" in printed
    assert load(output).logistic is not None
    assert load(output).logistic.weights


def test_train_says_which_thresholds_the_held_out_files_would_pick(corpus, tmp_path):
    printed = run("train", "--corpus-dir", str(corpus), "--output", str(tmp_path / "m.json"))
    assert "Thresholds the held-out files would pick: spam " in printed
    assert load(tmp_path / "m.json").logistic is None


def test_train_reads_the_folder_named_by_the_environment(corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("MASTHEAD_SPAM_CORPUS_DIR", str(corpus))
    output = tmp_path / "model.json"
    assert str(corpus) in run("train", "--output", str(output))
    assert output.exists()


def test_evaluate_prints_the_figures_at_each_threshold(corpus):
    printed = run("evaluate", str(corpus / "comments.csv"), "--threshold", "0.5")
    assert "comments.csv: 5 comments, 2 spam, 3 not spam" in printed
    for heading in ("precision", "recall", "false-pos-rate", "TP", "FP", "FN", "TN"):
        assert heading in printed
    assert "    0.590 " in printed and "    0.920 " in printed and "    0.500 " in printed


def test_evaluate_reads_the_message_format_too(corpus):
    assert "messages: 2 comments, 1 spam, 1 not spam" in run("evaluate", str(corpus / "messages"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (YOUTUBE_CSV + 'a6,Fay,2015-01-01,"fine song",yes\n', "line 7: CLASS must be 1"),
        (YOUTUBE_CSV + "a6,Fay,2015-01-01\n", "line 7: expected 5 columns, found 3"),
        (SMS_TSV + "maybe\tnot sure\n", "line 4: expected 'ham' or 'spam'"),
        (SMS_TSV + "no tab on this line\n", "line 4: expected 'ham' or 'spam'"),
        ("just,some,columns\n1,2,3\n", "line 1: not a labelled file"),
    ],
)
def test_a_bad_line_is_named(tmp_path, text, message):
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        run("evaluate", str(path))


def test_a_multi_line_comment_keeps_line_numbers_right(tmp_path):
    path = tmp_path / "multi.csv"
    path.write_text(
        'COMMENT_ID,AUTHOR,DATE,CONTENT,CLASS\nx,A,d,"two\nlines",0\ny,B,d,fine,2\n',
        encoding="utf-8",
    )
    with pytest.raises(CorpusError, match="line 4: CLASS"):
        read_examples(path)


def test_text_that_is_not_utf8_is_named_by_line(tmp_path):
    path = tmp_path / "latin.tsv"
    path.write_bytes(b"ham\tfine\nspam\tcaf\xe9\n")
    with pytest.raises(CorpusError, match="line 2: not valid UTF-8"):
        read_examples(path)


def test_duplicates_are_recognised_after_normalising(tmp_path):
    path = tmp_path / "sample"
    path.write_text(
        "ham\tSee you &amp; the   CREW\nham\tsee you & the crew\ufeff\n", encoding="utf-8"
    )
    assert len(without_duplicates(read_examples(path))) == 1
