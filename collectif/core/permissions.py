"""Typed doors to django-rules, so that mypy checks every permission rule and view.

django-rules ships no annotations: a predicate built with `rules.predicate` and the
`permission_required` view decorator would erase the types of everything they touch.
Apps declare predicates with `predicate` and guard views with `permission_required`
from here; the untyped calls stay in this one module.
"""

from collections.abc import Callable
from typing import Any, Protocol, TypeVar, cast

from rules.contrib.views import permission_required as rules_permission_required
from rules.permissions import set_perm
from rules.predicates import predicate as rules_predicate


class RulePredicate(Protocol):
    """A django-rules predicate: callable on (user) or (user, object), and composable."""

    def __call__(self, *args: Any) -> bool: ...

    def __or__(self, other: "RulePredicate") -> "RulePredicate": ...

    def __and__(self, other: "RulePredicate") -> "RulePredicate": ...

    def __invert__(self) -> "RulePredicate": ...


def predicate(fn: Callable[..., bool]) -> RulePredicate:
    """`@predicate` over a typed function: the rule keeps its signature's promise."""
    return cast(RulePredicate, rules_predicate(fn))  # type: ignore[no-untyped-call]


def register_rule(name: str, rule: RulePredicate) -> None:
    """Declare (or redeclare) a permission name with django-rules."""
    set_perm(name, rule)  # type: ignore[no-untyped-call]


View = TypeVar("View", bound=Callable[..., Any])


def permission_required(
    perm: str, *, fn: Callable[..., Any] | None = None
) -> Callable[[View], View]:
    """Refuse (403) anyone who lacks `perm`; `fn` picks the object the rule is asked about."""
    decorator = rules_permission_required(  # type: ignore[no-untyped-call]
        perm, fn=fn, raise_exception=True
    )
    return cast(Callable[[View], View], decorator)
