"""The manuscript's history: when its last commit was made, the outputs' time stamp when
SOURCE_DATE_EPOCH is not set. Input: a folder. Output: seconds since the epoch, or None outside git.

The repository is the book's, and so is its configuration: a `.git/config` can name programs for
git to run (`gpg.program` with `log.showSignature`, `core.fsmonitor`, `core.pager`, `diff.external`,
hooks, `includeIf`d files saying the same). git is run so that none of them can start: the system's
and the user's configuration ignored, every setting that starts a program overridden on the command
line (which wins over the repository's own), no pager, no signature check, no external diff or text
conversion, no terminal prompt, and an environment holding none of the caller's GIT_* variables.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

# Settings that make git start a program, each set so that it starts none. `-c` wins over every file.
NEUTRAL_CONFIG = (
    "log.showSignature=false", "gpg.program=false", "gpg.openpgp.program=false", "gpg.x509.program=false",
    "gpg.ssh.program=false", "core.fsmonitor=false", "core.pager=cat", "pager.log=false",
    "core.hooksPath=/dev/null", "core.editor=false", "core.askPass=", "core.sshCommand=false",
    "diff.external=", "core.untrackedCache=false", "core.alternateRefsCommand=", "log.mailmap=false",
    "safe.bareRepository=explicit", "credential.helper=",
)


def git_environment() -> dict[str, str]:
    """The caller's environment without git's own variables, and git told to read no configuration
    but the repository's (whose program-starting settings `NEUTRAL_CONFIG` overrides)."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("GIT_")}
    env.update({"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_TERMINAL_PROMPT": "0",
                "GIT_PAGER": "cat", "PAGER": "cat", "GIT_OPTIONAL_LOCKS": "0", "GIT_NO_REPLACE_OBJECTS": "1",
                "GIT_ATTR_NOSYSTEM": "1"})
    return env


INCLUDE = re.compile(r"^\s*\[\s*include", re.IGNORECASE | re.MULTILINE)  # [include], [includeIf "…"]


def reads_only_itself(folder: Path) -> bool:
    """Whether the git repository holding `folder` keeps to its own `.git` folder: no configuration
    included from other files, no objects borrowed from another repository, and `.git` a folder
    (not a `gitdir:` file pointing elsewhere). False outside any repository."""
    for place in (folder.resolve(), *folder.resolve().parents):
        git = place / ".git"
        if os.path.lexists(git):
            break
    else:
        return False
    if git.is_symlink() or not git.is_dir() or (git / "objects" / "info" / "alternates").exists() \
            or (git / "commondir").exists():
        return False
    config_file = git / "config"
    if config_file.is_symlink():  # its text would be read from elsewhere (and so would git's)
        return False
    try:  # a regular file inside the repository (a FIFO or a folder: stat says so, nothing opened)
        config = config_file.read_text(encoding="utf-8", errors="replace") if config_file.is_file() else ""
    except OSError:
        return False
    return not INCLUDE.search(config)


def last_commit_time(folder: Path) -> int | None:
    """Seconds since the epoch of the last commit touching `folder`; None outside a git work tree,
    or in a repository that would make git read files outside it (`reads_only_itself`)."""
    if not reads_only_itself(folder):
        return None
    command = ["git", "--no-pager"]
    for setting in NEUTRAL_CONFIG:
        command += ["-c", setting]
    command += ["log", "-1", "--no-show-signature", "--no-ext-diff", "--no-textconv", "--no-mailmap",
                "--format=%ct", "--", "."]
    try:
        done = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=10, check=False,
                              env=git_environment(), stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None
    value = done.stdout.strip()
    return int(value) if done.returncode == 0 and value.isascii() and value.isdigit() else None
