"""Bootstrap: makes `.venv` from the lock file (when the lock changed), then runs copydesk.

    python3.11 run.py up      run copydesk on the embedded PostgreSQL and NATS
    python3.11 run.py test    run the whole test suite
    python3.11 run.py <any copydesk command>
"""

import hashlib
import os
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


def main() -> int:
    if sys.version_info[:2] != (3, 11):
        print("copydesk needs Python 3.11", file=sys.stderr)
        return 2
    ensure_environment()
    args = sys.argv[1:] or ["up"]
    os.chdir(ROOT)
    test = args[0] == "test"
    command = [_bin("python"), "-m", "pytest", *args[1:]] if test else [_bin("copydesk"), *args]
    os.execv(command[0], command)  # signals (Ctrl-C) go straight to copydesk or pytest


if __name__ == "__main__":
    sys.exit(main())
