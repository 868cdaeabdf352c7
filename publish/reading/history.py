"""The manuscript's history: when its last commit was made, the outputs' time stamp when
SOURCE_DATE_EPOCH is not set. Input: a folder. Output: seconds since the epoch, or None outside git."""

from __future__ import annotations

import subprocess
from pathlib import Path


def last_commit_time(folder: Path) -> int | None:
    """Seconds since the epoch of the last commit touching `folder`; None outside a git work tree."""
    try:
        done = subprocess.run(["git", "log", "-1", "--format=%ct", "--", "."], cwd=folder, capture_output=True,
                              text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    value = done.stdout.strip()
    return int(value) if done.returncode == 0 and value.isdigit() else None
