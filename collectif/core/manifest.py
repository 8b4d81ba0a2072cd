"""One manifest per app: everything an app plugs into, declared in one place.

Each app's `registry.py` defines `manifest = Manifest(...)`. Core discovers them the way
`django.contrib.admin` discovers `admin.py` modules, orders them by the dependencies
they declare, and reads them; it never imports an app by name. Adding an app is one
`INSTALLED_APPS` line and the app's own package.
"""

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from graphlib import TopologicalSorter
from importlib import import_module
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from django.apps import apps as django_apps
from django.utils.functional import Promise
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from ninja import Router

    from collectif.core.audit import AuditAction
    from collectif.core.permissions import RulePredicate

T = TypeVar("T")

# The five conditions of collective impact, then the ecosystem and the backbone's tools.
NAV_GROUPS = [
    ("agenda", _("Common agenda")),
    ("measurement", _("Shared measurement")),
    ("activities", _("Action plan")),
    ("governance", _("Governance")),
    ("ecosystem", _("Ecosystem")),
    ("communication", _("Communication")),
    ("research", _("Research")),
    ("backbone", _("Backbone")),
]


@dataclass(frozen=True)
class NavEntry:
    """A link in the signed-in navigation; shown to people for whom `perm` holds."""

    group: str
    label: str | Promise
    url_name: str
    perm: str
    order: int = 100


@dataclass(frozen=True)
class AttentionItem:
    """Something staff should act on today, with the page where they act."""

    label: str | Promise
    count: int
    url: str
    tone: str = "warning"


@dataclass(frozen=True)
class Figure:
    """A headline figure on the public home."""

    value: str
    label: str | Promise


@dataclass(frozen=True)
class HomePanel:
    """A section an app adds to a signed-in person's home: a template and its data."""

    template: str
    context: dict[str, Any]


class DemoOutput(Protocol):
    """Where a demo loader reports what it does: lines and progress bars."""

    def line(self, text: str) -> None: ...

    def progress(self, items: Iterable[T], label: str, total: int | None = None) -> Iterator[T]: ...


@dataclass(frozen=True)
class DemoLoader:
    """An app's part of the demo movement, loaded after the apps it depends on."""

    load: Callable[..., None]  # load(*, rng: random.Random, out: DemoOutput)
    is_loaded: Callable[[], bool]
    summary: Callable[[], list[str]] | None = None


@dataclass(frozen=True)
class UrlMount:
    """Where an app's pages live under /<lang>/: a prefix and its URLconf module."""

    prefix: str
    module: str


@dataclass(frozen=True)
class ApiMount:
    """An app's API router and the path it is mounted at under /api/v1/."""

    prefix: str
    router: "Router"


# Who the permission matrix tries every route as (decision 0023). "steward" is the data
# steward of the organisation the URL names (and the one who owns the URL's submission,
# job or token); "other_steward" serves another organisation; "superuser" may use the
# technical admin site and, as Django's superusers do, passes every permission rule.
AUDIENCES = (
    "anonymous",
    "no_role",
    "steward",
    "other_steward",
    "governance",
    "researcher",
    "staff",
    "superuser",
)


@dataclass(frozen=True)
class Access:
    """Who may use one route or API operation; every other audience is refused.

    Refused means a redirect to the sign-in page, 401, 403 or 404. `method` is what the
    matrix sends: POST for routes that only take a POST (actions behind a button).
    """

    allowed: frozenset[str]
    method: str = "GET"

    def __post_init__(self) -> None:
        unknown = self.allowed - set(AUDIENCES)
        if unknown:
            raise ValueError(f"unknown audiences: {sorted(unknown)}")

    def by_post(self) -> "Access":
        """The same people, tried with a POST (the route takes nothing else)."""
        return Access(self.allowed, method="POST")


def access(*audiences: str, method: str = "GET") -> Access:
    return Access(frozenset(audiences), method=method)


PUBLIC = access(*AUDIENCES)
SIGNED_IN = access(*AUDIENCES[1:])
MEMBERS = access("steward", "other_steward", "governance", "researcher", "staff", "superuser")
STEWARDS = access("steward", "other_steward", "superuser")
STAFF = access("staff", "superuser")
# An object rule: the organisation's own stewards (of the submission, the job they
# started...) and backbone staff.
OWN_OR_STAFF = access("steward", "staff", "superuser")
ADMIN_SITE = access("superuser")
# A route that exists but serves nobody (an allauth feature Collectif turns off).
NOBODY = access()


@dataclass(frozen=True)
class Manifest:
    """What one app plugs into. `after` names the apps (labels) it builds on."""

    label: str
    after: Sequence[str] = ()
    nav: Sequence[NavEntry] = ()
    attention: Sequence[Callable[[Any], list[AttentionItem]]] = ()
    home_panels: Sequence[Callable[[Any], list[HomePanel]]] = ()
    figures: Sequence[Callable[[], list[Figure]]] = ()
    urls: Sequence[UrlMount] = ()
    api: Sequence[ApiMount] = ()
    permissions: Mapping[str, "RulePredicate"] = field(default_factory=dict)
    audit_actions: "type[AuditAction] | None" = None
    reference: Callable[[Any], None] | None = None  # reference(apps): rows a flush removes
    demo: DemoLoader | None = None
    # What the app adds to a lower app's pages, by the extension point's name
    # ("agenda.plan_pages"): the lower app defines the point and reads it back.
    extensions: Mapping[str, object] = field(default_factory=dict)
    # Who may use each of the app's routes, by URL name ("measurement:upload"), API
    # operation id, or a prefix ending in "*" ("account_*"); the permission matrix test
    # fails on any route nobody declared (decision 0023).
    access: Mapping[str, Access] = field(default_factory=dict)


def _discover() -> list[Manifest]:
    found: dict[str, Manifest] = {}
    for config in django_apps.get_app_configs():
        if not module_has_submodule(config.module, "registry"):
            continue
        module = import_module(f"{config.name}.registry")
        manifest = getattr(module, "manifest", None)
        if isinstance(manifest, Manifest):
            found[manifest.label] = manifest
    graph = {label: [dep for dep in m.after if dep in found] for label, m in found.items()}
    return [found[label] for label in TopologicalSorter(graph).static_order()]


@cache
def manifests() -> tuple[Manifest, ...]:
    """Every installed app's manifest, each after the apps it builds on."""
    return tuple(_discover())


def register_permissions() -> None:
    """Declare every app's permission rules with django-rules (idempotent)."""
    from collectif.core.permissions import register_rule

    for manifest in manifests():
        for name, rule in manifest.permissions.items():
            register_rule(name, rule)


def extensions(point: str, kind: type[T]) -> list[T]:
    """What every app declares for an extension point, in dependency order."""
    found = [manifest.extensions.get(point) for manifest in manifests()]
    return [part for part in found if isinstance(part, kind)]


def nav_entries() -> list[NavEntry]:
    """Every app's navigation entries, whoever may see them."""
    return [entry for manifest in manifests() for entry in manifest.nav]


def attention_items(user: Any) -> list[AttentionItem]:
    """What needs the person's attention today, from every app."""
    return [item for m in manifests() for provider in m.attention for item in provider(user)]


def home_panels(user: Any) -> list[HomePanel]:
    return [panel for m in manifests() for provider in m.home_panels for panel in provider(user)]


def declared_access() -> dict[str, Access]:
    """Every app's access declarations; two apps declaring one route is an error."""
    found: dict[str, Access] = {}
    for manifest in manifests():
        for key, rule in manifest.access.items():
            if key in found:
                raise ValueError(f"{key} is declared twice (again by {manifest.label})")
            found[key] = rule
    return found


def headline_figures() -> list[Figure]:
    return [figure for m in manifests() for provider in m.figures for figure in provider()]
