"""The API's operations, one module per domain."""

from masthead.api.errors import ErrorOut

PUBLIC_ERRORS = (400, 401, 404, 422, 429)
WRITE_ERRORS = (400, 401, 403, 404, 409, 413, 422, 429)


def answers(success: dict, errors=PUBLIC_ERRORS) -> dict:
    """A ``response=`` mapping: the success schemas and the error shape for each error."""
    return {**success, **dict.fromkeys(errors, ErrorOut)}
