"""Finds the Chromium for the browser tests, and installs one where none is there.

Playwright's own build is used when it is installed; otherwise the system's
Chromium (Debian's package). Where neither is there, Playwright's download is
tried first, then ``apt-get install chromium``.
"""

import os
import shutil
import subprocess
import sys

SYSTEM_CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")


def playwright_chromium():
    """Path of Playwright's own Chromium if it is installed, else None."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        path = playwright.chromium.executable_path
    return path if os.path.exists(path) else None


def system_chromium():
    for name in SYSTEM_CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def locate():
    """``(path, is_playwrights_own)`` of the browser to use, or ``(None, False)``."""
    own = playwright_chromium()
    if own:
        return own, True
    return system_chromium(), False


def ensure():
    """The path of a usable Chromium; installs one if needed, or exits with what to do."""
    path, _own = locate()
    if path:
        return path
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    install = [sys.executable, "-m", "playwright", "install", "chromium"]
    if as_root and shutil.which("apt-get"):
        install.insert(-1, "--with-deps")
    print("No Chromium found; trying Playwright's download:", " ".join(install), flush=True)
    if _run(install) and locate()[0]:
        return locate()[0]
    if as_root and shutil.which("apt-get"):
        print("Playwright's download failed; installing Debian's chromium package.", flush=True)
        if _run(["apt-get", "update", "-qq"]) and _run(
            ["apt-get", "install", "-y", "-qq", "chromium"]
        ):
            path = system_chromium()
            if path:
                return path
    raise SystemExit(
        "No Chromium for the browser tests, and none could be installed. Install one with "
        "'.venv/bin/python -m playwright install --with-deps chromium' (needs internet) or "
        "your system's package (Debian: 'apt-get install chromium'), then run the tests again."
    )


def _run(command):
    try:
        return subprocess.run(command, timeout=900, check=False).returncode == 0
    except (OSError, subprocess.TimeoutExpired) as error:
        print(f"{command[0]}: {error}", flush=True)
        return False
