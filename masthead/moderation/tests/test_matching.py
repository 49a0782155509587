import pytest

from masthead.moderation import matching


@pytest.mark.parametrize(
    "text",
    [
        "What an idiot.",
        "IDIOT!!!",
        "ｉｄｉｏｔ",  # full-width
        "іdіоt",  # Cyrillic і and о
        "ιdιοt",  # Greek ι and ο
        "1d10t",
        "idiót",
        "<b>idiot</b>",
        "id\u00adiot",  # a soft hyphen inside
    ],
)
def test_a_word_matches_through_case_look_alikes_and_markup(text):
    assert matching.word_matches("idiot", text)


@pytest.mark.parametrize("text", ["idiotic", "an idiots' guide", "Idiotville", "i d i o t"])
def test_only_whole_words_match(text):
    assert not matching.word_matches("idiot", text)


def test_a_trailing_star_matches_any_ending():
    assert matching.word_matches("idiot*", "idiotic")
    assert not matching.word_matches("idiot*", "the village idiom")


def test_phrases_match_their_words_in_a_row():
    assert matching.word_matches("go away", "Just GO, away with you")
    assert not matching.word_matches("go away", "go right away")


def test_symbols_stand_for_letters_inside_words_only():
    assert matching.word_matches("shit", "sh!t")
    assert matching.word_matches("shit", "$hit")
    assert matching.skeleton("In 2024, 3 of them.") == "in 2024 3 of them"
    assert matching.skeleton("@Argon: quite.") == "argon quite"


def test_l_and_1_and_i_fold_together_both_ways():
    assert matching.word_matches("hello", "he11o")
    assert matching.word_matches("he11o", "hello")


def test_domains_are_cleaned_and_match_subdomains_only():
    assert matching.domain_clean(" https://www.Spam.Example.com/path?q=1 ") == "spam.example.com"
    hosts = matching.comment_domains("see www.spam.example.com/x and bit.ly/abc", "")
    assert matching.domain_matches("spam.example.com", hosts)
    assert matching.domain_matches("bit.ly", hosts)
    assert not matching.domain_matches("example.com.evil", hosts)
    assert not matching.domain_matches("am.example.com", hosts)
