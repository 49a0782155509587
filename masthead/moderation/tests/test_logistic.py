from masthead.moderation.spam.features import char_grams, features
from masthead.moderation.spam.logistic import Logistic, Row, fit, sigmoid

SPAM = ["subscribe to my channel", "check out my channel", "my channel, subscribe now"]
HAM = ["the chorus is lovely", "what a lovely chorus", "the bridge and the chorus"]


def rows(weight: float = 1.0) -> list[Row]:
    made = [Row(features(body), True, weight) for body in SPAM]
    return made + [Row(features(body), False, weight) for body in HAM]


def test_pieces_of_words_are_padded_so_beginnings_and_ends_count_apart():
    grams = char_grams("Sub me")
    assert {"c: su", "c:sub", "c:ub ", "c: sub ", "c: me "} <= set(grams)
    assert "c:b m" not in grams  # never across a space


def test_features_are_the_tokens_and_the_pieces_of_words_once_each():
    found = features("Subscribe subscribe http://spam.example.com")
    assert "subscribe" in found and "c:scri" in found and "host:spam.example.com" in found
    assert len(found) == len(set(found))


def test_fitting_learns_which_features_mean_spam():
    model = fit(rows())
    assert model.margin(features("subscribe to my channel")) > 0
    assert model.margin(features("a lovely chorus")) < 0
    assert model.weights["channel"] > 0 > model.weights["chorus"]


def test_features_seen_once_get_no_weight():
    model = fit(rows())
    assert "bridge" not in model.weights  # in one example only


def test_fitting_is_deterministic():
    assert fit(rows()) == fit(rows())


def test_an_examples_weight_scales_how_much_it_teaches():
    strong = fit(rows(1.0)).weights["channel"]
    weak = fit([*rows(1.0)[:3], *(Row(r.features, r.is_spam, 0.1) for r in rows()[3:])])
    assert weak.weights["channel"] != strong


def test_an_unknown_comment_gets_the_bias_alone():
    model = Logistic({"spam": 2.0}, bias=-1.0)
    assert model.margin(["nothing", "known"]) == -1.0
    assert model.margin(["spam"]) == 1.0
    assert sigmoid(0.0) == 0.5 and sigmoid(-100.0) == 0.0
