"""Passwords, raw API keys and tokens never reach a log line of any process."""

import time

import httpx

from tests.e2e.helpers import new_tenant, unique_email
from tests.support import Stack


def all_logs(stack: Stack) -> str:
    return "\n".join(p.read_text(errors="replace")
                     for p in stack.processes.log_dir.glob("*.log"))


def test_no_secret_of_a_whole_session_appears_in_the_logs(stack: Stack) -> None:
    tenant = new_tenant(stack, "Secretive")
    password = "Zebra-Quartz-" + unique_email()[:12]
    created = httpx.post(f"{stack.base_url}/api/v1/users", headers=tenant.headers, timeout=30,
                         json={"email": unique_email(), "password": password, "role": "member"})
    assert created.status_code == 201, created.text
    login = httpx.post(f"{stack.base_url}/api/v1/auth/login", timeout=30,
                       json={"email": created.json()["email"], "password": password})
    tokens = login.json()
    httpx.post(f"{stack.base_url}/api/v1/auth/login", timeout=30,
               json={"email": created.json()["email"], "password": password + "-wrong"})
    key = httpx.post(f"{stack.base_url}/api/v1/api-keys", headers=tenant.headers, timeout=30,
                     json={"name": "logs"}).json()["key"]
    httpx.get(f"{stack.base_url}/api/v1/billing/balance", timeout=30,
              headers={"Authorization": f"ApiKey {key}"})
    time.sleep(0.5)  # let the processes write their lines
    logs = all_logs(stack)
    assert '"path": "/api/v1/auth/login"' in logs  # the requests were logged, without secrets
    for secret in (password, key, tokens["access_token"], tokens["refresh_token"]):
        assert secret not in logs
