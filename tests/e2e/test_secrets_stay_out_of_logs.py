"""Passwords, raw API keys, tokens and mailed links never reach a log line of any process."""

import time

import httpx

from adapters.passwords import token_hash
from tests.e2e.helpers import new_tenant, unique_email
from tests.e2e.mailbox import wait_for_mail
from tests.support import Stack


def all_logs(stack: Stack) -> str:
    return "\n".join(p.read_text(errors="replace")
                     for p in stack.processes.log_dir.glob("*.log"))


def test_no_secret_of_a_whole_session_appears_in_the_logs(stack: Stack) -> None:
    tenant = new_tenant(stack, "Secretive")
    password = "Zebra-Quartz-" + unique_email()[:12]
    created = httpx.post(f"{stack.base_url}/api/v1/users", headers=tenant.headers, timeout=30,
                         json={"email": unique_email(), "password": password, "role": "member"})
    assert created.status_code == 200, created.text
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


def test_invitation_tokens_and_mail_bodies_never_appear_in_the_logs(stack: Stack) -> None:
    tenant = new_tenant(stack, "Discreet")
    invitee, welcomed = unique_email("invitee"), unique_email("welcomed")
    password = "Kiwi-Basalt-" + unique_email()[:12]
    created = httpx.post(f"{stack.base_url}/api/v1/invitations", headers=tenant.headers,
                         json={"email": invitee}, timeout=30)
    assert created.status_code == 200, created.text
    invitation = wait_for_mail(stack, invitee, kind="invitation")
    token = invitation.body.split("accept-invitation?token=")[1].split()[0]
    httpx.get(f"{stack.base_url}/api/v1/invitations/validate", params={"token": token}, timeout=30)
    accepted = httpx.post(f"{stack.base_url}/api/v1/invitations/accept", timeout=30,
                          json={"token": token, "password": password})
    assert accepted.status_code == 200, accepted.text
    httpx.post(f"{stack.base_url}/api/v1/invitations/accept", timeout=30,
               json={"token": token + "x", "password": password})
    httpx.post(f"{stack.base_url}/api/v1/users", headers=tenant.headers, timeout=30,
               json={"email": welcomed, "password": password})
    welcome = wait_for_mail(stack, welcomed, kind="welcome")
    time.sleep(0.5)  # let the processes write their lines
    logs = all_logs(stack)
    assert '"event": "mail_sent"' in logs and '"kind": "invitation"' in logs
    for secret in (token, token_hash(token), password, invitation.body.strip(),
                   welcome.body.strip()):
        assert secret not in logs
