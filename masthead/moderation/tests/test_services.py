import pytest

from masthead.moderation.models import LearnedToken, LearnedTotals
from masthead.moderation.services import spam_learn
from masthead.moderation.spam import score_comment

pytestmark = pytest.mark.django_db

BODY = "Fresh quayside crab rolls at the Lowtown market stall every Saturday morning."


def test_a_spam_verdict_raises_the_next_score_at_once():
    before = score_comment(body=BODY).probability
    spam_learn(body=BODY, name="Crab Shack", url="https://crab.example.com/", is_spam=True)
    after = score_comment(body=BODY).probability
    assert after > before


def test_a_not_spam_verdict_lowers_the_next_score():
    body = "Subscribe to my channel for the harbour webcam, link in my profile."
    before = score_comment(body=body).probability
    spam_learn(body=body, name="Ferry fan", is_spam=False)
    assert score_comment(body=body).probability < before


def test_learning_keeps_counts_and_totals_in_the_database():
    spam_learn(body=BODY, name="Crab Shack", is_spam=True)
    spam_learn(body=BODY, name="Crab Shack", is_spam=True)
    spam_learn(body="Quayside crab was fine.", is_spam=False)
    totals = LearnedTotals.objects.get()
    assert (totals.spam_count, totals.ham_count) == (2, 1)
    assert LearnedToken.objects.get(token="crab").spam_count == 2
    assert LearnedToken.objects.get(token="crab").ham_count == 1
    assert LearnedToken.objects.get(token="name:shack").spam_count == 2


def test_what_the_site_learns_does_not_change_the_shipped_model():
    from masthead.moderation.spam.model import shipped

    before = score_comment(body=BODY, model=shipped())
    spam_learn(body=BODY, is_spam=True)
    assert score_comment(body=BODY, model=shipped()) == before


def test_scoring_without_any_learning_asks_the_database_once(django_assert_num_queries):
    with django_assert_num_queries(1):
        score_comment(body=BODY)
    spam_learn(body=BODY, is_spam=True)
    with django_assert_num_queries(2):
        score_comment(body=BODY)
