"""The upgrade rehearsal: does each of publish's features still fit the installed WeasyPrint?

    python -m publish.engine.check            per feature: applies, or which anchor is missing and why
    python -m publish.engine.check --write    regenerate publish/engine/patches/*.diff (WeasyPrint 70.0 only)

Input: the installed WeasyPrint's (and pydyf's) source files, read as text — nothing is imported or
installed, so it runs against any WeasyPrint. Output: one line per feature, and for a feature that
does not apply, each missing anchor: the file, the function, the line expected there (with its line
number in WeasyPrint 70.0, from the feature's patch file) and why it matters. Exit 0 when every
feature applies, 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping

from . import TESTED_WEASYPRINT, patching
from .features import FEATURES, PATCHES


def expected_line(feature: patching.Feature, text: str) -> int | None:
    """The line number in WeasyPrint 70.0 of `text` (a line the feature expects), from its patch file."""
    path = PATCHES / f"{feature.name}.diff"
    if not text or not path.is_file():
        return None
    number = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("@@"):
            number = int(line.split()[1].lstrip("-").split(",")[0])
            continue
        if not number or line.startswith(("+", "---", "+++")):
            continue
        if line[1:].strip() == text:
            return number
        number += 1
    return None


def report(sources: Mapping[str, str], version: str) -> tuple[list[str], bool]:
    """The rehearsal's lines for `sources`, and whether every feature applies."""
    out = [f"WeasyPrint {version} (publish's features were made against {TESTED_WEASYPRINT})"]
    ok = True
    for feature in FEATURES:
        found = patching.problems(feature, sources)
        out.append(f"{'applies' if not found else 'FAILS  '}  {feature.name}: {feature.summary}")
        for problem in found:
            ok = False
            line = expected_line(feature, problem.missing)
            where = f"{problem.file}" + (f", {problem.where}" if problem.where else "")
            expected = f": expected `{problem.missing}`" if problem.missing else ""
            at = f" (line {line} in WeasyPrint {TESTED_WEASYPRINT})" if line else ""
            out.append(f"         {where}{expected}{at} — {problem.why}")
    return out, ok


def write_patches(sources: Mapping[str, str], version: str) -> list[str]:
    """Write every feature's patch file; the names of those written."""
    PATCHES.mkdir(exist_ok=True)
    written = []
    for feature in FEATURES:
        (PATCHES / f"{feature.name}.diff").write_text(patching.diff(feature, sources, version), encoding="utf-8")
        written.append(feature.name)
    return written


def installed_version() -> str:
    from importlib.metadata import version

    return version("weasyprint")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m publish.engine.check", description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help="regenerate the patch files (WeasyPrint 70.0 only)")
    args = parser.parse_args(argv)
    version = installed_version()
    sources = patching.installed_sources(FEATURES)
    if args.write:
        if version != TESTED_WEASYPRINT:
            print(f"the patch files are against WeasyPrint {TESTED_WEASYPRINT}, not {version}", file=sys.stderr)
            return 1
        for name in write_patches(sources, version):
            print(f"wrote {PATCHES.name}/{name}.diff")
        return 0
    lines, ok = report(sources, version)
    print("\n".join(lines))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
