"""Bootstrap: makes `.venv` from the lock file (when the lock changed), then runs copydesk.

    python3.11 run.py up      run copydesk on the embedded PostgreSQL and NATS
    python3.11 run.py test    run the whole test suite
    python3.11 run.py <any copydesk command>
"""

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements.lock"
STAMP = VENV / ".lock-sha256"


def _bin(name: str) -> str:
    return str(VENV / "bin" / name)


def ensure_environment() -> None:
    wanted = hashlib.sha256(LOCK.read_bytes() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not (VENV / "bin" / "python").exists():
        print("creating .venv", file=sys.stderr)
        venv.create(VENV, with_pip=True)
    pip = [_bin("python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--require-hashes", "-r", str(LOCK)], check=True)
    subprocess.run([*pip, "--no-deps", "-e", str(ROOT)], check=True)
    STAMP.write_text(wanted)


def ensure_browser() -> None:
    """The browser tests open exported pages in Debian's Chromium: install it when it is
    missing and this may (root with apt); otherwise those tests say how to get it."""
    if shutil.which("chromium") or not hasattr(os, "geteuid") or os.geteuid() != 0 \
            or not shutil.which("apt-get"):
        return
    print("installing chromium for the browser tests", file=sys.stderr)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", "--no-install-recommends", "chromium"]
    if subprocess.run(install, env=env, capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True)
        subprocess.run(install, env=env, capture_output=True)


def main() -> int:
    if sys.version_info[:2] != (3, 11):
        print("copydesk needs Python 3.11", file=sys.stderr)
        return 2
    ensure_environment()
    args = sys.argv[1:] or ["up"]
    os.chdir(ROOT)
    test = args[0] == "test"
    if test:
        ensure_browser()
    command = [_bin("python"), "-m", "pytest", *args[1:]] if test else [_bin("copydesk"), *args]
    os.execv(command[0], command)  # signals (Ctrl-C) go straight to copydesk or pytest


if __name__ == "__main__":
    sys.exit(main())
