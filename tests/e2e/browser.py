"""Headless Chromium (Debian's `chromium` package, which `run.py test` installs when it can)
rendering a local file to a PNG, with the flags this machine's closed network needs."""

import shutil
import subprocess
from pathlib import Path

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars")


def chromium() -> str:
    """The browser's path; AssertionError saying how to get it when it is not installed."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "headless Chromium is needed: apt-get install chromium (run.py test does it as root)"
    return found


def screenshot(page: Path, png: Path, width: int = 1280, height: int = 1600) -> None:
    """Open `page` (a file) in a fresh profile and write what it shows to `png`."""
    profile = png.parent / "chromium-profile"
    subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}",
                    f"--window-size={width},{height}", f"--screenshot={png}", page.as_uri()],
                   check=True, capture_output=True, timeout=120)
    assert png.exists() and png.stat().st_size > 0, "Chromium wrote no screenshot"
