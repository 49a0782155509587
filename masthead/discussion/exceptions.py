"""What can go wrong with a comment: each error carries what the commenter is told, and a status."""


class CommentError(Exception):
    """A comment that was not stored. ``field`` is the form field the message belongs to."""

    http_status = 400
    field: str | None = "body"

    def __init__(self, message: str, *, field: str | None = None, http_status: int | None = None):
        super().__init__(message)
        self.message = message
        if field is not None:
            self.field = field
        if http_status is not None:
            self.http_status = http_status


class CommentEmptyError(CommentError):
    pass


class CommentTooLongError(CommentError):
    pass


class CommentDuplicateError(CommentError):
    def __init__(self, message: str = "You already posted this.", **kwargs):
        super().__init__(message, **kwargs)


class CommentParentInvalidError(CommentError):
    field = None


class CommentsClosedError(CommentError):
    http_status = 403
    field = None


class CommentRejectedError(CommentError):
    """The pipeline said no: a honeypot, a rate limit, a ban."""

    field = None


class CommentBusyError(CommentError):
    """The post took comments faster than this one could be given a number."""

    http_status = 503
    field = None


class CommentNotEditableError(CommentError):
    """Not the author's, or the edit window has passed."""

    http_status = 403
    field = None
