"""The engine's features (publish/engine/features.py): their patch files are what the code applies,
the upgrade rehearsal passes on the installed WeasyPrint and names what is missing from an altered
one, and the engine's switches are read once into frozen settings."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT

from publish.engine import TESTED_WEASYPRINT, check, patching
from publish.engine.features import FEATURES, PATCHES
from publish.engine.settings import EngineSettings

BREAK_LINE = "    over_orphans = len(new_children) - box.style['orphans']\n"


@pytest.fixture(scope="module")
def sources() -> dict[str, str]:
    return patching.installed_sources(FEATURES)


@pytest.mark.parametrize("feature", FEATURES, ids=lambda feature: feature.name)
def test_each_patch_file_is_what_the_code_applies(feature, sources):
    written = (PATCHES / f"{feature.name}.diff").read_text(encoding="utf-8")
    assert written == patching.diff(feature, sources, TESTED_WEASYPRINT), (
        "regenerate with python -m publish.engine.check --write")


def test_every_patch_file_belongs_to_a_feature():
    assert sorted(path.stem for path in PATCHES.glob("*.diff")) == sorted(feature.name for feature in FEATURES)


@pytest.mark.skipif(shutil.which("patch") is None, reason="GNU patch is not installed")
def test_the_patch_files_apply_to_weasyprint_70_with_patch(sources, tmp_path):
    """Each diff is a real one: GNU patch applies it to a copy of WeasyPrint's files."""
    for name, text in sources.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    applied = 0
    for feature in FEATURES:
        if not any(isinstance(change, patching.Rewrite | patching.Wrap) for change in feature.changes):
            continue  # only anchors: nothing to apply
        diff = (PATCHES / f"{feature.name}.diff").read_text(encoding="utf-8")
        result = subprocess.run(["patch", "-p1", "--dry-run", "-d", str(tmp_path)], input=diff, text=True,
                                capture_output=True)
        assert result.returncode == 0, (feature.name, result.stdout, result.stderr)
        applied += 1
    assert applied >= 8


def test_the_rehearsal_passes_on_the_installed_weasyprint():
    result = subprocess.run([sys.executable, "-m", "publish.engine.check"], cwd=ROOT, capture_output=True,
                            text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stdout + result.stderr
    for feature in FEATURES:
        assert f"applies  {feature.name}:" in result.stdout


def test_the_rehearsal_names_the_missing_line_of_an_altered_weasyprint(sources):
    """A WeasyPrint whose `_break_line` lost the line `hyphenate-limit-last` changes, and whose
    `remake_page` was renamed: those two features fail, each with where and why; the others apply."""
    altered = dict(sources)
    block = altered["weasyprint/layout/block.py"]
    assert block.count(BREAK_LINE) == 1
    altered["weasyprint/layout/block.py"] = block.replace(BREAK_LINE, "    over_orphans = len(new_children)\n")
    altered["weasyprint/layout/page.py"] = altered["weasyprint/layout/page.py"].replace(
        "def remake_page(", "def make_page_again(")
    lines, ok = check.report(altered, "71.0")
    out = "\n".join(lines)
    assert not ok
    assert "FAILS    hyphenate-limit-last:" in out
    assert ("weasyprint/layout/block.py, _break_line: expected `over_orphans = len(new_children) - "
            "box.style['orphans']` (line ") in out
    assert "the rewrite 'page-end-hyphen' changes it: found 0 times, not once" in out
    assert "FAILS    footnote-continuation:" in out
    assert "weasyprint/layout/page.py, remake_page" in out
    failing = {line.split()[1].rstrip(":") for line in lines if line.startswith("FAILS")}
    assert failing == {"hyphenate-limit-last", "footnote-continuation"}
    assert check.report(sources, TESTED_WEASYPRINT)[1]


def test_the_switches_are_read_once_into_frozen_settings():
    assert EngineSettings.from_environment({}) == EngineSettings("paragraph", True)
    settings = EngineSettings.from_environment({"PUBLISH_LINE_BREAKER": "greedy", "PUBLISH_ENGINE_SPEED": "0"})
    assert settings == EngineSettings("greedy", False)
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.line_breaker = "paragraph"  # type: ignore[misc]
