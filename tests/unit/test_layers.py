"""The folders of publish/ are the pipeline's stages, and data flows one way: a module imports
(at run time) only from its own stage or an earlier one. Read with `ast` from the source files, so
a new backward import fails here before it becomes a cycle (docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "publish"
# earliest first; model and diagnostics are shared by all, the orchestration comes last
ORDER = ["__init__", "model", "diagnostics", "outputs", "parallel", "engine", "reading", "resolving", "rendering",
         "writers", "printing", "stages", "editions", "build", "checking", "commands", "__main__"]


def _stage(module: str) -> str:
    """`publish.reading.config` → `reading`; `publish.build` → `build`; `publish` → `__init__`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(path: Path, module: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, absolute module) of every relative import, those for type checking only included."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if is_package else module.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            if node.module:
                found.append((node.lineno, ".".join([*base, node.module])))
            else:
                found.extend((node.lineno, ".".join([*base, alias.name])) for alias in node.names)
    return found


def _modules() -> dict[str, tuple[Path, bool]]:
    """Every module of publish/: dotted name → (file, whether it is a package's __init__)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        if "scaffold" in relative.parts[1:-1]:
            continue
        is_package = relative.name == "__init__"
        found[".".join(relative.parts[:-1] if is_package else relative.parts)] = (path, is_package)
    return found


def test_every_import_goes_to_the_same_or_an_earlier_stage():
    """Type-only imports (`if TYPE_CHECKING:`) count: a type is a dependency too."""
    backward = []
    for module, (path, is_package) in _modules().items():
        stage = _stage(module) if module != "publish" else "__init__"
        for line, target in _imports(path, module, is_package):
            target_stage = _stage(target)
            if target_stage not in ORDER:  # `from . import __version__`
                continue
            if ORDER.index(target_stage) > ORDER.index(stage):
                backward.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {stage} imports {target}")
    assert backward == []


def test_every_stage_is_a_folder_and_nothing_else_is_loose():
    loose = sorted(p.stem for p in PACKAGE.glob("*.py"))
    assert loose == ["__init__", "__main__", "build", "diagnostics", "model", "outputs", "parallel", "stages"]
    folders = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert folders == set(ORDER) - set(loose)


def test_no_module_imports_itself_back_through_others():
    """No import cycle between modules, type-only imports included (Tarjan's strongly connected
    components over the import graph)."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for module, (path, is_package) in modules.items():
        targets = set()
        for _, target in _imports(path, module, is_package):
            while target and target not in modules:  # `from .x import name`: the module is `x`
                target = target.rpartition(".")[0]
            if target and target != module and not module.startswith(target + "."):
                targets.add(target)  # a module importing its own package's __init__ is not a cycle
        graph[module] = targets
    cycles = [sorted(c) for c in _components(graph) if len(c) > 1]
    assert cycles == []


def _components(graph: dict[str, set[str]]) -> list[set[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            found.append(component)

    for node in graph:
        if node not in index:
            visit(node)
    return found
