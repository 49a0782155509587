"""What can go wrong with API tokens."""


class ApiTokenScopeError(Exception):
    """A scope the token's user may not hold, or one that does not exist."""
