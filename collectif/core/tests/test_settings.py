"""Settings come from the environment, and production values pass Django's deploy check."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run Python in a clean environment, so the test process's own settings do not leak."""
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(ROOT), **env}
    return subprocess.run(  # noqa: S603
        [sys.executable, *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _production_env(tmp_path: Path) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "collectif.example.org",
        "CACHE_URL": "redis://127.0.0.1:6379/1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.org:587",
    }


@pytest.mark.smoke
def test_production_settings_pass_the_deploy_check(tmp_path: Path) -> None:
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], _production_env(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout + result.stderr


def test_a_process_local_cache_fails_the_deploy_check(tmp_path: Path) -> None:
    env = _production_env(tmp_path)
    del env["CACHE_URL"]
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode != 0
    assert "collectif.W001" in result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = _production_env(tmp_path)
    del env["SECRET_KEY"]
    result = _run(["-c", "import config.settings"], env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def _settings_from(env: dict[str, str]) -> dict[str, object]:
    script = (
        "import json, django\n"
        "from django.conf import settings\n"
        "django.setup()\n"
        "print(json.dumps({\n"
        "  'db': settings.DATABASES['default']['ENGINE'],\n"
        "  'db_name': str(settings.DATABASES['default']['NAME']),\n"
        "  'cache': settings.CACHES['default']['BACKEND'],\n"
        "  'email': settings.EMAIL_BACKEND,\n"
        "  'tz': settings.TIME_ZONE,\n"
        "  'language': settings.LANGUAGE_CODE,\n"
        "  'hosts': settings.ALLOWED_HOSTS,\n"
        "  'debug': settings.DEBUG,\n"
        "}))\n"
    )
    result = _run(["-c", script], {"DJANGO_SETTINGS_MODULE": "config.settings", **env})
    assert result.returncode == 0, result.stderr
    values: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return values


def test_a_developer_machine_needs_no_configuration() -> None:
    values = _settings_from({"DEBUG": "true"})
    assert values["debug"] is True
    assert values["db"] == "django.db.backends.sqlite3"
    assert str(values["db_name"]).endswith("var/collectif.sqlite3")
    assert values["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["email"] == "django.core.mail.backends.console.EmailBackend"
    assert values["tz"] == "America/Toronto"
    assert values["language"] == "en"


def test_every_deployment_value_comes_from_the_environment(tmp_path: Path) -> None:
    values = _settings_from(
        {
            **_production_env(tmp_path),
            "DATABASE_URL": "postgres://collectif:pw@db.example.org:5432/collectif",
            "TIME_ZONE": "America/Vancouver",
            "LANGUAGE_CODE": "fr",
            "ALLOWED_HOSTS": "a.example.org,b.example.org",
        }
    )
    assert values["debug"] is False
    assert values["db"] == "django.db.backends.postgresql"
    assert values["db_name"] == "collectif"
    assert values["cache"] == "collectif.core.cache.RedisCache"  # Django's, one client per pool
    assert values["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["tz"] == "America/Vancouver"
    assert values["language"] == "fr"
    assert values["hosts"] == ["a.example.org", "b.example.org"]
