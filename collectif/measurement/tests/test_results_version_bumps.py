"""Every write of measurement and agenda says whether it changes what the results pages
show: those that do move the results version (decision 0027), so a cached page is never
served once stale. A new service fails here until its author decides which it is."""

import ast
from pathlib import Path

import collectif

ROOT = Path(collectif.__file__).parent
SERVICES = sorted((ROOT / "measurement" / "services").glob("*.py"))
MODULES = [*SERVICES, ROOT / "agenda" / "services.py"]

# Writes that change figures, names, stories, baselines, targets or plans on the pages.
# (submission_approve_many opens no transaction of its own: each approval is one.)
BUMPS = {
    "submission_approve",
    "submission_return",
    "submission_reopen",
    "submission_restore",
    "rollups_rebuild",
    "indicator_create",
    "indicator_update",
    "indicator_story_update",
    "period_create",
    "period_update",
    "period_create_next_quarters",
    "dimension_member_add",
    "dimension_member_rename",
    "dimension_member_delete",
    "baseline_set",
    "baseline_remove",
    "target_set",
    "target_remove",
    "indicator_plan_set",  # through baseline_set, baseline_remove, target_set, target_remove
    "plan_version_create",
    "plan_version_update",
    # The completeness page: what is waiting for approval, and who reports what.
    "submission_submit",
    "submission_save_values",  # when it submits
    "submission_write",  # through submission_save_values
    "dataset_create",
    "dataset_update",
    "dataset_assign",
    "dataset_assignment_change",
}

# Writes the results pages never read: drafts (rollups count approved data only, the
# completeness page counts a draft as not reported, and approved values cannot be
# written: they are reopened first), rules, reminders and exports.
UNSEEN = {
    "submission_open": "a draft",
    "submission_receive": "values of a draft or returned submission",
    "submission_import": "values of a draft or returned submission",
    "file_import_start": "queues an import into a draft",
    "validation_rule_create": "rules check values before approval",
    "validation_rule_update": "rules check values before approval",
    "completeness_reminders_send": "e-mails",
    "values_export_start": "a file",
    "values_export_save": "a file",
}


def _opens_transaction(function: ast.FunctionDef) -> bool:
    """Decorated with `transaction.atomic`, or running a `with transaction.atomic():`."""
    decorated = any("atomic" in ast.unparse(d) for d in function.decorator_list)
    return decorated or any(
        isinstance(node, ast.With) and "atomic" in ast.unparse(node) for node in ast.walk(function)
    )


def _calls(function: ast.FunctionDef) -> set[str]:
    names = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Call):
            target = node.func
            names.add(target.attr if isinstance(target, ast.Attribute) else ast.unparse(target))
    return names


def _writes() -> dict[str, ast.FunctionDef]:
    found = {}
    for path in MODULES:
        for node in ast.parse(path.read_text()).body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            if _opens_transaction(node):
                found[node.name] = node
    return found


def test_every_write_says_whether_the_results_pages_show_it() -> None:
    writes = _writes()
    undecided = set(writes) - BUMPS - set(UNSEEN)
    assert not undecided, f"add each to BUMPS (and bump) or to UNSEEN: {sorted(undecided)}"
    assert not BUMPS - set(writes), f"no longer services: {sorted(BUMPS - set(writes))}"


def test_every_write_the_pages_show_moves_the_results_version() -> None:
    writes = _writes()
    silent = [
        name
        for name in sorted(BUMPS & set(writes))
        if not _calls(writes[name]) & {"results_version_bump", *BUMPS}
    ]
    assert not silent, f"these change the results pages without results_version_bump(): {silent}"
