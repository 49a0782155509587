"""What a moderation write refuses, with the message the moderator or reader is shown."""


class ModerationError(Exception):
    """Nothing was changed. ``field`` is the form field the message belongs to, if any."""

    field: str | None = None

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        if field is not None:
            self.field = field


class ModerationActionUnknownError(ModerationError):
    field = "action"


class ModerationActionInvalidError(ModerationError):
    """The action exists but does not apply to this comment (restoring an approved one)."""


class BanInvalidError(ModerationError):
    field = "value"


class RuleInvalidError(ModerationError):
    field = "pattern"


class RuleNeedsConfirmationError(ModerationError):
    """The rule would have held more than half of the recent comments; ``trial`` says how many."""

    field = "confirm_broad"

    def __init__(self, message: str, *, trial):
        super().__init__(message)
        self.trial = trial


class ReportDuplicateError(ModerationError):
    pass


class ReportNotAllowedError(ModerationError):
    pass
