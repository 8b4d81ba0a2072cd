"""The `collectif` command: every management command, under the project's own name."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
COLLECTIF = Path(sys.executable).parent / "collectif"


def _collectif(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    return subprocess.run(  # noqa: S603
        [str(COLLECTIF), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.smoke
def test_help_lists_the_projects_commands() -> None:
    result = _collectif("--help")
    assert result.returncode == 0, result.stderr
    assert "Type 'collectif help <subcommand>'" in result.stdout
    for command in ("demo", "db_worker", "migrate", "check"):
        assert f"    {command}\n" in result.stdout


def test_check_runs_the_system_checks() -> None:
    result = _collectif("check")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_worker_takes_the_task_workers_options() -> None:
    worker = _collectif("worker", "--help")
    assert worker.returncode == 0, worker.stderr
    assert "usage: collectif worker" in worker.stdout
    assert "waits for the database" in worker.stdout
    for option in ("--queue-name", "--interval", "--batch", "--max-tasks", "--worker-id"):
        assert option in worker.stdout


def test_an_unknown_command_fails() -> None:
    result = _collectif("no-such-command")
    assert result.returncode != 0
    assert "Unknown command: 'no-such-command'" in result.stderr
