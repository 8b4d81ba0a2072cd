"""Who acts: a signed-in person, or the platform itself.

Every service takes a keyword-only `actor: Actor`. The system acts through the explicit
`SYSTEM` actor (operator commands, the demo loader, background tasks), never through
`None`, so that a forgotten argument is a type error instead of full power.
"""

from dataclasses import dataclass
from typing import TypeAlias

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest


@dataclass(frozen=True)
class SystemActor:
    """The platform acting on an operator's or a schedule's behalf; audited as "system"."""

    label: str = "system"

    @property
    def is_authenticated(self) -> bool:
        # Pages and templates that ask "is this a signed-in person?" must hear no.
        return False

    def __str__(self) -> str:
        return self.label


SYSTEM = SystemActor()

Actor: TypeAlias = AbstractBaseUser | SystemActor


def actor_may(actor: Actor, perm: str, obj: Model | None = None) -> bool:
    """Whether the actor holds a permission rule; the system holds them all."""
    if isinstance(actor, SystemActor):
        return True
    if not isinstance(actor, PermissionsMixin) or not actor.is_active:
        return False
    return actor.has_perm(perm, obj)


def require(actor: Actor, perm: str, obj: Model | None = None) -> None:
    """A service's guard: refuse an actor who may not do this, whatever the channel."""
    if not actor_may(actor, perm, obj):
        raise PermissionDenied


def request_actor(request: HttpRequest) -> Actor:
    """The signed-in person behind a request, as an actor; anonymous visitors act as nobody."""
    user = request.user
    if not isinstance(user, AbstractBaseUser) or not user.is_authenticated:
        raise PermissionDenied
    return user
