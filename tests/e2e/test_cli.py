"""The `copydesk` command against running servers."""

import subprocess
import sys

from tests.e2e.helpers import login, unique_email
from tests.support import ROOT, Stack, wait_for_projections
from workers.runtime import child_env


def copydesk(stack: Stack, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workers.cli", *args], cwd=ROOT,
                          env=child_env(stack.settings), capture_output=True, text=True,
                          timeout=120)


def test_org_create_makes_an_organization_whose_admin_can_log_in(stack: Stack) -> None:
    email = unique_email("cli")
    done = copydesk(stack, "org", "create", "--name", "From The CLI", "--admin-email", email,
                    "--admin-password", "a long enough password")
    assert done.returncode == 0, done.stderr
    assert email in done.stdout
    wait_for_projections(stack.settings)
    assert login(stack.base_url, email, "a long enough password")


def test_org_create_refuses_a_short_password_and_a_taken_email(stack: Stack) -> None:
    short = copydesk(stack, "org", "create", "--name", "X", "--admin-email",
                     unique_email(), "--admin-password", "short")
    assert short.returncode != 0 and "password" in short.stderr
    email = unique_email()
    assert copydesk(stack, "org", "create", "--name", "A", "--admin-email", email,
                    "--admin-password", "long enough pass").returncode == 0
    taken = copydesk(stack, "org", "create", "--name", "B", "--admin-email", email,
                     "--admin-password", "long enough pass")
    assert taken.returncode != 0 and "already registered" in taken.stderr


def test_projections_status_lists_each_projection_with_its_lag(stack: Stack) -> None:
    wait_for_projections(stack.settings)
    done = copydesk(stack, "projections", "status")
    assert done.returncode == 0, done.stderr
    for name in ("identity", "billing", "audit"):
        assert name in done.stdout
    assert "lag        0" in done.stdout
    unknown = copydesk(stack, "projections", "rebuild", "nope")
    assert unknown.returncode != 0 and "identity" in unknown.stderr
