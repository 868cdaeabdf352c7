"""Dependencies' internals are touched in publish/engine/ only, and those dependencies are pinned
to the versions the engine was tested with (the installed ones)."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version

from conftest import ROOT

PRIVATE = re.compile(r"_page_box|layout\.block|_linebox_layout|_update_footnote_area|LayoutContext|_add_object|"
                     r"\._ID\b|weasyprint\.(pdf|layout|formatting_structure)|from weasyprint\.(pdf|layout|"
                     r"formatting_structure)|current_position|xref_position|metadata\.uuid4")


def test_no_private_name_of_weasyprint_pydyf_or_pypdf_outside_the_engine():
    found = []
    for path in sorted((ROOT / "publish").rglob("*.py")):
        if "engine" in path.relative_to(ROOT / "publish").parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if PRIVATE.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []


def test_the_engine_does_use_them_so_the_check_above_can_fail():
    engine = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "publish" / "engine").glob("*.py"))
    for name in ("_page_box", "_linebox_layout", "_add_object", "_ID", "weasyprint.pdf", "current_position"):
        assert name in engine


def test_dependencies_whose_internals_are_used_are_pinned_to_the_tested_versions():
    from publish import engine

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    pins = dict(re.match(r"([A-Za-z0-9_.-]+)==([^\s;]+)", d).groups() for d in declared if "==" in d)
    tested = {"weasyprint": engine.TESTED_WEASYPRINT, "pydyf": engine.TESTED_PYDYF, "pypdf": engine.TESTED_PYPDF}
    for name, wanted in tested.items():
        assert pins.get(name) == wanted, name
        assert version(name) == wanted, name
