import datetime

from masthead.moderation import charts

DAYS = [datetime.date(2026, 11, d) for d in (23, 24, 25)]


def per_day(**counts):
    return {day: {"approved": 0, "pending": 0, "spam": 0, "removed": 0, **counts} for day in DAYS}


def test_daily_bars_stack_by_outcome_and_say_so_in_words():
    svg = str(charts.daily_outcomes(DAYS, per_day(approved=3, spam=1), chart_id="d"))
    assert svg.startswith('<svg class="chart"') and 'role="img"' in svg
    assert 'aria-labelledby="d-title d-desc"' in svg
    assert "In all: 9 approved, 0 held, 3 spam, 0 removed." in svg
    assert svg.count('class="chart-approved"') == 3 and svg.count('class="chart-spam"') == 3
    assert "<title>25 Nov: 3 approved</title>" in svg
    assert "style" not in svg


def test_an_empty_month_draws_an_axis_and_no_bars():
    svg = str(charts.daily_outcomes(DAYS, per_day(), chart_id="d"))
    assert "<rect" not in svg and "In all: 0 approved" in svg


def test_labels_are_escaped():
    svg = str(
        charts.horizontal_bars(
            [("<script>alert(1)</script>", 4), ("Spam model", 2)],
            chart_id="r",
            title="Reasons & more",
            empty="none",
        )
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "Reasons &amp; more" in svg


def test_no_rows_is_a_sentence_not_a_chart():
    assert str(charts.horizontal_bars([], chart_id="r", title="t", empty="Nothing.")) == (
        '<p class="empty">Nothing.</p>'
    )
