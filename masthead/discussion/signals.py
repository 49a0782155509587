"""Hooks other apps subscribe to without discussion importing them.

``comment_visibility_changed`` is sent after the transaction commits, whenever what readers see
of a comment changes: it appeared, was edited, was removed or became a placeholder, or its
status changed in any other way. Arguments: ``comment`` (the saved row), ``post_id``,
``previous_status`` (``None`` for a new comment) and ``status``. ``discussion.receivers``
purges the cached pages that show the comment on it.
"""

from django.dispatch import Signal

comment_visibility_changed = Signal()
