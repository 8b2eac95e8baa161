"""The settings module in production mode, checked in a fresh interpreter."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "a-real-production-secret-" + "x" * 40,
    "DJANGO_ALLOWED_HOSTS": "hr.example.com",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_requires_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


def test_tls_settings_can_be_switched_off_behind_a_proxy():
    env = {
        **PRODUCTION,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SESSION_COOKIE_SECURE": "false",
    }
    result = _manage(
        "shell",
        "--verbosity=0",
        "-c",
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS)",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "True", "31536000"]


def _database_options(env: dict[str, str]) -> str:
    result = _manage(
        "shell",
        "--verbosity=0",
        "-c",
        "from django.conf import settings as s; "
        "o = s.DATABASES['default'].get('OPTIONS', {}); "
        "print(o.get('server_side_binding'), o.get('prepare_threshold'))",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_postgresql_uses_prepared_statements_unless_switched_off():
    postgres = {**PRODUCTION, "DATABASE_URL": "postgres://alexis@db.example.com:5432/alexis"}
    assert _database_options(postgres) == "True 5"
    off = {**postgres, "DATABASE_PREPARED_STATEMENTS": "false"}
    assert _database_options(off) == "None None"
    sqlite = {**PRODUCTION, "DATABASE_URL": "sqlite:////tmp/alexis-settings-test.sqlite3"}
    assert _database_options(sqlite) == "None None"
