"""Every package publish declares is pinned, with hashes, in the lock files the set-up commands
install (README, .ci/run): a declared dependency missing from a lock would be installed unpinned."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _locked(lock: str) -> dict[str, str]:
    text = (ROOT / lock).read_text(encoding="utf-8")
    pins = dict(re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^ \\\n]+)", text, re.M))
    assert pins and text.count("--hash=sha256:") >= len(pins)
    return {name.lower().replace("_", "-"): version for name, version in pins.items()}


def test_the_locks_pin_every_declared_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = {_name(r) for r in project["dependencies"]}
    test = {_name(r) for r in project["optional-dependencies"]["test"]}
    assert runtime <= set(_locked("requirements.lock")), runtime - set(_locked("requirements.lock"))
    assert runtime | test <= set(_locked("requirements-test.lock"))
    shared = set(_locked("requirements.lock")) & set(_locked("requirements-test.lock"))
    assert all(_locked("requirements.lock")[n] == _locked("requirements-test.lock")[n] for n in shared)


def test_the_set_up_commands_install_from_the_locks():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -r requirements.lock" in readme
    assert "pip install -r requirements-test.lock" in readme and "pip install -r requirements-test.lock" in ci
