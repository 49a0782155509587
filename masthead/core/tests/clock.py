"""Rate-limit windows are aligned to the clock, so a test that counts several hits against one
limit must not have its window close half-way: the count would start again and the limit not
be reached. Such a test waits out the last seconds of a closing window first (real time: the
database and Redis keep their own clocks, which a faked one would not move)."""

import time


def wait_for_a_fresh_window(window: int = 60, margin: float = 5.0) -> None:
    """Every window in use is a whole number of minutes, so a fresh minute is a fresh window of
    each; ``margin`` is how long the test needs."""
    left = window - time.time() % window
    if left < margin:
        time.sleep(left + 0.05)
