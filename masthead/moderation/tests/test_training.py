import pytest

from masthead.moderation.spam.corpus import Example
from masthead.moderation.spam.model import Blend, load
from masthead.moderation.spam.scoring import opinions, score_comment
from masthead.moderation.spam.training import (
    fit_blend,
    fit_parts,
    held_out,
    pick_thresholds,
    prepare,
    train,
)

SPAM = [
    "subscribe to my channel for free money",
    "check out my channel and subscribe",
    "free money, visit my site www.cash.example.com",
    "my channel needs subscribers, check it out",
]
HAM = [
    "the chorus of this song is lovely",
    "I still listen to this song every day",
    "the video was filmed by the sea, lovely",
    "this song takes me back to school",
]


def examples() -> list[Example]:
    found = []
    for number, (spam, ham) in enumerate(zip(SPAM, HAM, strict=True)):
        source = f"file{number % 2}.csv"
        found += [Example(spam, True, source=source), Example(ham, False, source=source)]
    found.append(Example("WIN a prize, call now", True, kind="messages"))
    found.append(Example("see you at six", False, kind="messages"))
    return found


@pytest.fixture(scope="module")
def model():
    return train(examples(), regression=True)


def test_by_default_training_counts_naive_bayes_alone():
    plain = train(examples())
    assert plain.logistic is None and plain.blend == Blend()
    assert set(plain.thresholds) == {"spam", "hold"}
    assert plain.layers["comments"].spam == 4


def test_training_with_the_regression_fits_both_parts_and_a_blend(model):
    assert model.layers["comments"].spam == 4 and model.layers["messages"].spam == 1
    assert model.logistic is not None and model.logistic.weights
    assert model.blend != Blend()
    assert set(model.thresholds) == {"spam", "hold"}


def test_the_model_file_rebuilds_byte_for_byte(model, tmp_path):
    model.pruned().save(tmp_path / "one.json")
    train(examples(), regression=True).pruned().save(tmp_path / "two.json")
    assert (tmp_path / "one.json").read_bytes() == (tmp_path / "two.json").read_bytes()
    again = load(tmp_path / "one.json")
    assert (again.logistic, again.blend, again.thresholds) == (
        model.logistic, model.blend, model.thresholds
    )  # fmt: skip


def test_the_blended_score_separates_the_training_comments(model):
    spam = min(score_comment(body=body, model=model).probability for body in SPAM)
    ham = max(score_comment(body=body, model=model).probability for body in HAM)
    assert spam > ham


def test_the_blend_weighs_the_part_that_separates_better():
    # Naive Bayes says nothing useful here, the regression's margin does.
    held = [(0.5, 3.0, True), (0.5, 2.0, True), (0.5, -2.0, False), (0.5, -3.0, False)]
    held += [(0.9, 2.5, True), (0.9, -2.5, False)]
    blend = fit_blend(held)
    assert blend.logistic > 0.5
    assert blend.probability(0.5, 3.0) > 0.9 > 0.1 > blend.probability(0.5, -3.0)


def test_without_both_labels_the_blend_is_even():
    assert fit_blend([(0.9, 1.0, True)]) == Blend(0.5, 0.5, 0.0)


def test_a_model_without_a_regression_scores_with_naive_bayes_alone(model):
    alone = model.with_layers(model.layers)
    alone.logistic, alone.blend = None, Blend()
    assert Blend().probability(0.8, 12.0) == pytest.approx(0.8)
    assert 0.0 <= score_comment(body=SPAM[0], model=alone).probability <= 1.0


def test_thresholds_are_picked_for_the_targets():
    scored = [(i / 100, i >= 50) for i in range(100)]
    assert pick_thresholds(scored) == {"spam": 0.5, "hold": 0.51}  # may miss 1 of 50
    loud = [(0.99, False)]
    assert pick_thresholds(scored + loud)["spam"] == 1.0  # 1 of 51: over 1%
    many = [(0.01, False)] * 100
    assert pick_thresholds(scored + loud + many)["spam"] == 0.5  # 1 of 151: under 1%
    assert pick_thresholds([(0.2, True), *scored])["hold"] == 0.5


@pytest.mark.django_db
def test_a_sites_verdicts_still_move_a_blended_score(model):
    from masthead.moderation.learned import SiteModel
    from masthead.moderation.services import spam_learn

    before = score_comment(body=HAM[0], model=SiteModel(model)).probability
    spam_learn(body=HAM[0], is_spam=True)
    assert score_comment(body=HAM[0], model=SiteModel(model)).probability > before


def test_training_counts_a_commenter_named_in_their_own_comment():
    promoter = Example("I'm Cody Tolleson, subscribe to me", True, "Cody Tolleson", "file0.csv")
    counted = train([*examples(), promoter])
    assert counted.layers["comments"].tokens["self:name"] == [1, 0]


def test_held_out_comments_are_compared_with_the_other_files_comments():
    advert = "buy cheap replica watches at our online shop today for the best prices in town"
    repeat = advert.replace("today", "now")
    prepared = prepare(
        [
            *examples(),
            Example(advert, True, source="file0.csv"),
            Example(repeat, False, source="file1.csv"),
        ]
    )
    # The first file's held-out scores come first, in order; the advert is its last comment.
    held = held_out(prepared)[4][0]
    alone = opinions(advert, fit_parts([p for p in prepared if p.example.source != "file0.csv"]))[0]
    assert held > alone
