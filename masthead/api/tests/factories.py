import factory

from masthead.api import services
from masthead.api.models import ApiScope
from masthead.people.tests.factories import UserFactory


def make_token(*scopes: str, user=None, **kwargs) -> tuple:
    """A stored token and its plain text; a staff user unless one is given."""
    user = user or UserFactory(staff=True)
    return services.token_create(
        user=user, name=kwargs.pop("name", "Test app"), scopes=scopes or [ApiScope.READ], **kwargs
    )


class StaffFactory(UserFactory):
    username = factory.Sequence(lambda n: f"editor{n}")
    is_staff = True
    is_superuser = True
