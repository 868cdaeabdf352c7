"""The folders of publish/ are the pipeline's stages, and data flows one way: a module imports
(at run time) only from its own stage or an earlier one. Read with `ast` from the source files, so
a new backward import fails here before it becomes a cycle (docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "publish"
# earliest first; model and diagnostics are shared by all, the orchestration comes last
ORDER = ["__init__", "model", "diagnostics", "parallel", "engine", "reading", "resolving", "rendering", "writers",
         "printing", "editions", "build", "checking", "commands", "__main__"]


def _stage(module: str) -> str:
    """`publish.reading.config` → `reading`; `publish.build` → `build`; `publish` → `__init__`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _runtime_imports(path: Path, module: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, absolute module) of every relative import outside `if TYPE_CHECKING:` blocks."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(node) for block in ast.walk(tree) if isinstance(block, ast.If)
                   and isinstance(block.test, ast.Name) and block.test.id == "TYPE_CHECKING"
                   for node in ast.walk(block)}
    package = module if is_package else module.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level and id(node) not in typing_only:
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            if node.module:
                found.append((node.lineno, ".".join([*base, node.module])))
            else:
                found.extend((node.lineno, ".".join([*base, alias.name])) for alias in node.names)
    return found


def test_every_import_goes_to_the_same_or_an_earlier_stage():
    backward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        if "scaffold" in relative.parts[1:-1]:
            continue
        is_package = relative.name == "__init__"
        module = ".".join(relative.parts[:-1] if is_package else relative.parts)
        stage = _stage(module) if module != "publish" else "__init__"
        for line, target in _runtime_imports(path, module, is_package):
            target_stage = _stage(target)
            if target_stage not in ORDER:  # `from . import __version__`
                continue
            if ORDER.index(target_stage) > ORDER.index(stage):
                backward.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {stage} imports {target}")
    assert backward == []


def test_every_stage_is_a_folder_and_nothing_else_is_loose():
    loose = sorted(p.stem for p in PACKAGE.glob("*.py"))
    assert loose == ["__init__", "__main__", "build", "diagnostics", "model", "parallel"]
    folders = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert folders == set(ORDER) - set(loose)
