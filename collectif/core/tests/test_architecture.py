"""The house's rules, checked on the code itself (docs/architecture.md).

The import contracts run in `make lint`; these tests prove they can fail, and check the
rules no linter knows: module size, one manifest per app, the audit vocabulary named
after services, and a typed actor on every service.
"""

import inspect
import shutil
import subprocess
import sys
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path
from types import ModuleType

import pytest
from django.apps import apps

from collectif.core.actors import Actor
from collectif.core.manifest import Manifest, manifests, nav_entries

ROOT = Path(__file__).resolve().parents[3]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
MAX_LINES = 500


def _project_apps() -> list[str]:
    return [c.name for c in apps.get_app_configs() if c.name.startswith("collectif.")]


def _lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (our own tool, fixed arguments)
        [str(LINT_IMPORTS), "--config", str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def _copy_of_the_tree(destination: Path) -> Path:
    for folder in ("collectif", "config"):
        shutil.copytree(
            ROOT / folder,
            destination / folder,
            ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static", "templates"),
        )
    shutil.copy(ROOT / "pyproject.toml", destination / "pyproject.toml")
    return destination


def test_the_dependency_rules_hold_today() -> None:
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("importer", "planted", "arrow"),
    [
        (
            "collectif/core/formatting.py",
            "from collectif.measurement.domain import breakdowns",
            "collectif.core.formatting -> collectif.measurement.domain.breakdowns",
        ),
        (
            "collectif/ecosystem/selectors/organisations.py",
            "from collectif.api import api",
            "collectif.ecosystem.selectors.organisations -> collectif.api.api",
        ),
        (
            "collectif/accounts/selectors.py",
            "from collectif.ecosystem import models",
            "collectif.accounts.selectors -> collectif.ecosystem.models",
        ),
    ],
    ids=["core imports a domain", "a domain imports the API", "a lower app imports a higher"],
)
def test_a_planted_breach_fails_the_lint_naming_the_import(
    tmp_path: Path, importer: str, planted: str, arrow: str
) -> None:
    tree = _copy_of_the_tree(tmp_path)
    path = tree / importer
    path.write_text(path.read_text() + f"\n{planted}  # planted by the test\n")

    result = _lint_imports(tree)

    assert result.returncode != 0
    assert arrow in result.stdout


def _production_modules() -> Iterator[Path]:
    for folder in ("collectif", "config"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = set(path.relative_to(ROOT).parts)
            if parts & {"tests", "migrations"} or path.name.startswith("demo"):
                continue
            yield path


def test_no_production_module_is_over_500_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): n
        for path in _production_modules()
        if (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert not long, f"split these by topic (docs/architecture.md): {long}"


def test_every_app_declares_one_manifest_named_after_it() -> None:
    declared = {manifest.label: manifest for manifest in manifests()}
    for config in apps.get_app_configs():
        if not config.name.startswith("collectif.") or config.label == "api":
            continue
        registry = import_module(f"{config.name}.registry")
        assert isinstance(registry.manifest, Manifest), config.name
        assert declared[config.label] is registry.manifest
        # Everything the app plugs into is in the manifest, not in AppConfig.ready().
        assert "ready" not in type(config).__dict__ or config.label == "core", config.name


def test_manifests_come_after_the_apps_they_build_on() -> None:
    order = [manifest.label for manifest in manifests()]
    for manifest in manifests():
        for dependency in manifest.after:
            assert order.index(dependency) < order.index(manifest.label), manifest.label


def test_every_navigation_entry_asks_a_declared_permission() -> None:
    declared = {name for manifest in manifests() for name in manifest.permissions}
    missing = [entry.url_name for entry in nav_entries() if entry.perm not in declared]
    assert not missing


def _service_modules(app: str) -> list[ModuleType]:
    """An app's write layer: `services.py`, or every module of its `services/` package."""
    package = import_module(app)
    path = Path(package.__file__ or "").parent
    if (path / "services").is_dir():
        return [
            import_module(f"{app}.services.{p.stem}")
            for p in sorted((path / "services").glob("*.py"))
            if p.stem != "__init__"
        ]
    if (path / "services.py").exists():
        return [import_module(f"{app}.services")]
    return []


def _services() -> Iterator[tuple[str, str, object]]:
    for app in _project_apps():
        for module in _service_modules(app):
            for name, function in inspect.getmembers(module, inspect.isfunction):
                if function.__module__ == module.__name__ and not name.startswith("_"):
                    yield app, name, function


def test_audit_actions_are_named_after_the_service_that_writes_them() -> None:
    for manifest in manifests():
        if manifest.audit_actions is None:
            continue
        app = next(c.name for c in apps.get_app_configs() if c.label == manifest.label)
        services = {name for owner, name, _function in _services() if owner == app}
        for action in manifest.audit_actions:
            label, _, service = action.value.partition(".")
            assert label == manifest.label, action.value
            assert service in services, f"{action.value}: no service named {service}"


def test_every_service_takes_a_typed_keyword_only_actor_and_no_loose_fields() -> None:
    wrong = []
    for app, name, function in _services():
        signature = inspect.signature(function)  # type: ignore[arg-type]
        actor = signature.parameters.get("actor")
        if any(p.kind is p.VAR_KEYWORD for p in signature.parameters.values()):
            wrong.append(f"{app}.{name}: **kwargs")
        if actor is None:
            continue
        if actor.kind is not actor.KEYWORD_ONLY or actor.default is not actor.empty:
            wrong.append(f"{app}.{name}: actor must be keyword-only, with no default")
        if actor.annotation not in (Actor, "Actor"):
            wrong.append(f"{app}.{name}: actor: {actor.annotation}")
    assert not wrong
