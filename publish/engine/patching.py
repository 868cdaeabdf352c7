"""How publish changes WeasyPrint, in one declarative form: installed, shown as a diff, rehearsed.

Input: a `Feature` — a name (the CSS property it implements, where one exists) and its changes:
`Rewrite` (an exact piece of a function's source replaced, the function compiled again from its
original source with every rewrite of it), `Wrap` (a function or method replaced by a wrapper of
it, for the process or, `scoped`, for the time of one write) and `Anchor` (something a feature
relies on without changing it: a line of WeasyPrint's or pydyf's source). Output, from the same
objects, so that none can drift from another:

- `install(feature)`: the changes made to the imported WeasyPrint (idempotent);
- `diff(feature, sources)`: the unified diff of the changes against WeasyPrint's source files (the
  files in `publish/engine/patches/`, `python -m publish.engine.check --write`);
- `problems(feature, sources)`: why each change that no longer fits a WeasyPrint does not
  (`python -m publish.engine.check`).

`sources` maps a file's path inside site-packages (`weasyprint/layout/block.py`) to its text:
`installed_sources()` reads the installed packages' files; a test gives altered copies.
"""

from __future__ import annotations

import ast
import difflib
import importlib
import importlib.util
import inspect
import textwrap
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Any: WeasyPrint's functions and helpers take WeasyPrint's untyped objects.
Helper = Callable[..., Any]


class EnginePatchError(RuntimeError):
    """WeasyPrint's source no longer has what a feature changes: re-measure it (docs/engine.md)."""


def module_file(module: str) -> str:
    """`layout.block` → `weasyprint/layout/block.py`; `layout` → `weasyprint/layout/__init__.py`;
    `pydyf` → pydyf's one file."""
    if module == "pydyf":
        return "pydyf/__init__.py"
    base = "weasyprint/" + module.replace(".", "/")
    return base + "/__init__.py" if module in PACKAGES else base + ".py"


PACKAGES = {"layout", "draw", "pdf", "text", "formatting_structure", "css"}


@dataclass(frozen=True)
class Rewrite:
    """`before` (exact, once in the function) replaced by `after` in WeasyPrint's `module.function`;
    `helpers` are put into the module under the names `after` calls them by; the modules in
    `importers` imported the function by name and are given the new one."""

    name: str
    module: str
    function: str
    before: str
    after: str
    helpers: Mapping[str, Helper] = field(default_factory=dict)
    importers: tuple[str, ...] = ()

    @property
    def file(self) -> str:
        return module_file(self.module)


@dataclass(frozen=True)
class Wrap:
    """WeasyPrint's `module.name` (a module's function, or `Class.method`) replaced by
    `wrapper(original)` in each of `namespaces` (default: the module). `scoped`: only for the time
    of one write (`scoped_wrap`), and `wrapper` is then made for that write (None here)."""

    module: str
    name: str
    helper: str  # the wrapper's name in the diff
    wrapper: Callable[[Any], Any] | None = None
    namespaces: tuple[str, ...] = ()
    scoped: bool = False

    @property
    def file(self) -> str:
        return module_file(self.module)


@dataclass(frozen=True)
class Anchor:
    """`text` must occur in `module`'s source (`pydyf:` for pydyf's): what a feature relies on
    there without changing it, and `why`."""

    module: str
    text: str
    why: str

    @property
    def file(self) -> str:
        return module_file(self.module)


Change = Rewrite | Wrap | Anchor


@dataclass(frozen=True)
class Feature:
    """A named change of WeasyPrint's behaviour: `name` is its patch file's (`patches/NAME.diff`)."""

    name: str
    summary: str  # one line: what it does, in CSS's terms where it has them
    module: str  # the publish module that implements it
    changes: tuple[Change, ...]


# Installing ---------------------------------------------------------------------------------------

_rewrites: dict[str, dict[str, Rewrite]] = {}  # "module.function" → rewrite name → rewrite, in order
_original: dict[str, Any] = {}  # "module.function" → WeasyPrint's own function
_installed: set[str] = set()


def install(feature: Feature) -> None:
    """Make the feature's changes to the imported WeasyPrint (once a process)."""
    if feature.name in _installed:
        return
    for change in feature.changes:
        if isinstance(change, Rewrite):
            _rewrite(change)
        elif isinstance(change, Wrap) and not change.scoped:
            _wrap(change)
    _installed.add(feature.name)


def _weasyprint(module: str) -> Any:
    return importlib.import_module(f"weasyprint.{module}")


def _rewrite(rewrite: Rewrite) -> None:
    module = _weasyprint(rewrite.module)
    key = f"{rewrite.module}.{rewrite.function}"
    done = _rewrites.setdefault(key, {})
    if rewrite.name in done:
        return
    function = _original.setdefault(key, getattr(module, rewrite.function))
    source = textwrap.dedent(inspect.getsource(function))
    if source.count(rewrite.before) != 1:
        raise EnginePatchError(
            f"WeasyPrint's {rewrite.function} no longer contains the line the rewrite {rewrite.name!r} changes; "
            "pin weasyprint to the tested version or re-measure it (python -m publish.engine.check)")
    module.__dict__.update(rewrite.helpers)
    done[rewrite.name] = rewrite
    for each in done.values():
        source = source.replace(each.before, each.after)
    # Blank lines in front keep tracebacks pointing at the right lines of WeasyPrint's file.
    padded = "\n" * (function.__code__.co_firstlineno - 1) + source
    exec(compile(padded, inspect.getsourcefile(module) or rewrite.file, "exec"), module.__dict__)
    getattr(module, rewrite.function).publish_rewrites = tuple(done)
    for importer in rewrite.importers:
        setattr(_weasyprint(importer), rewrite.function, getattr(module, rewrite.function))


def _owner(module: Any, name: str) -> tuple[Any, str]:
    """(the object holding the attribute, its name) for `function` or `Class.method`."""
    owner_name, _, attribute = name.rpartition(".")
    return (getattr(module, owner_name) if owner_name else module), attribute


def _wrap(wrap: Wrap) -> None:
    assert wrap.wrapper is not None
    places = [_owner(_weasyprint(namespace), wrap.name) for namespace in wrap.namespaces or (wrap.module,)]
    original = getattr(*places[0])
    if not callable(original):
        raise EnginePatchError(f"WeasyPrint has no {wrap.name} where publish wraps it: re-measure")
    wrapped = wrap.wrapper(original)
    for owner, attribute in places:
        setattr(owner, attribute, wrapped)


@contextmanager
def scoped_wrap(wrap: Wrap, owner: Any, replacement: Callable[[Any], Any]) -> Iterator[None]:
    """While inside, `owner`'s attribute `wrap.name` (its last part) is `replacement(original)`:
    `owner` is the WeasyPrint module (or an instance) the scoped wrap names."""
    attribute = wrap.name.rpartition(".")[2]
    # an instance whose method is its class's: deleting the instance's attribute restores it
    from_class = not inspect.ismodule(owner) and attribute not in vars(owner)
    original = getattr(owner, attribute)
    setattr(owner, attribute, replacement(original))
    try:
        yield
    finally:
        if from_class:
            delattr(owner, attribute)
        else:
            setattr(owner, attribute, original)


# Reading sources ---------------------------------------------------------------------------------

def site_root(package: str = "weasyprint") -> Path:
    """The folder holding the installed `package` (site-packages), without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise EnginePatchError(f"{package} is not installed")
    return Path(spec.origin).parent.parent


def installed_sources(features: tuple[Feature, ...]) -> dict[str, str]:
    """The installed source files the features touch, by their path inside site-packages."""
    files = {change.file for feature in features for change in feature.changes}
    found = {}
    for name in sorted(files):
        path = site_root(name.split("/")[0]) / name
        if path.is_file():
            found[name] = path.read_text(encoding="utf-8")
    return found


def _definition(tree: ast.Module, name: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The def of `function` or `Class.method` at the top of a module."""
    owner_name, _, attribute = name.rpartition(".")
    body: list[ast.stmt] = tree.body
    if owner_name:
        owner = next((node for node in body if isinstance(node, ast.ClassDef) and node.name == owner_name), None)
        if owner is None:
            return None
        body = owner.body
    return next((node for node in body if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                 and node.name == attribute), None)


def _binding(tree: ast.Module, name: str) -> ast.stmt | None:
    """The statement binding `name` at the top of a module: its def, or an import of it."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name == name:
            return node
        if isinstance(node, ast.ImportFrom | ast.Import) and any(
                (alias.asname or alias.name) == name for alias in node.names):
            return node
    return None


# Checking ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    """Why one change of a feature does not fit the source: where it was expected, and what is missing."""

    file: str
    where: str  # the function, method or name
    missing: str  # the first line expected there
    why: str


def problems(feature: Feature, sources: Mapping[str, str]) -> list[Problem]:
    """What of `feature` does not fit `sources` (nothing: it applies)."""
    found: list[Problem] = []
    for change in feature.changes:
        text = sources.get(change.file)
        if text is None:
            found.append(Problem(change.file, "", "", "the file is missing"))
            continue
        if isinstance(change, Anchor):
            if change.text not in text:
                found.append(Problem(change.file, "", _first(change.text), f"not found: {change.why}"))
            continue
        tree = ast.parse(text)
        if isinstance(change, Rewrite):
            node = _definition(tree, change.function)
            if node is None:
                found.append(Problem(change.file, change.function, "", "the function is missing"))
                continue
            count = _segment(text, node).count(change.before)
            if count != 1:
                found.append(Problem(change.file, change.function, _first(change.before),
                                     f"the rewrite {change.name!r} changes it: found {count} times, not once"))
            continue
        for namespace in change.namespaces or (change.module,):
            name_file = module_file(namespace)
            name_text = sources.get(name_file)
            name_tree = ast.parse(name_text) if name_text is not None else None
            if name_tree is None or (_definition(name_tree, change.name) if "." in change.name
                                     else _binding(name_tree, change.name)) is None:
                found.append(Problem(name_file, change.name, "", f"{change.helper} wraps it: it is not defined"))
    return found


def _first(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _segment(text: str, node: ast.stmt) -> str:
    lines = text.splitlines(keepends=True)
    start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
    return "".join(lines[start - 1:node.end_lineno])


# Showing -----------------------------------------------------------------------------------------

def patched_sources(feature: Feature, sources: Mapping[str, str]) -> dict[str, str]:
    """The files the feature changes, as its changes leave them (its anchors change nothing): its
    wrappers first, as decorators (or a line rebinding an imported name), then its rewrites."""
    wraps: dict[str, list[tuple[int, str]]] = {}  # file → (index of the line before which a line goes, the line)
    for change in feature.changes:
        if not isinstance(change, Wrap):
            continue
        note = "  # for the time of one write" if change.scoped else ""
        for namespace in change.namespaces or (change.module,):
            name_file = module_file(namespace)
            tree = ast.parse(sources[name_file])
            node = _definition(tree, change.name)
            if node is not None and (namespace == change.module or "." in change.name):
                first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                line = f"{' ' * node.col_offset}@{change.helper}{note}\n"
                wraps.setdefault(name_file, []).append((first - 1, line))
                continue
            binding = _binding(tree, change.name)
            if binding is None or binding.end_lineno is None:
                raise EnginePatchError(f"{name_file} does not bind {change.name}")
            line = f"{change.name} = {change.helper}({change.name}){note}\n"
            wraps.setdefault(name_file, []).append((binding.end_lineno, line))
    out: dict[str, str] = {}
    for name_file, inserts in wraps.items():
        lines = sources[name_file].splitlines(keepends=True)
        for index, line in sorted(inserts, key=lambda insert: -insert[0]):  # from the bottom up
            lines.insert(index, line)
        out[name_file] = "".join(lines)
    for change in feature.changes:
        if not isinstance(change, Rewrite):
            continue
        text = out.get(change.file, sources[change.file])
        node = _definition(ast.parse(text), change.function)
        segment = _segment(text, node) if node is not None else ""
        if segment.count(change.before) != 1:
            raise EnginePatchError(f"{change.file}: {change.function} lacks the line {change.name!r} changes")
        out[change.file] = text.replace(segment, segment.replace(change.before, change.after), 1)
    return out


def diff(feature: Feature, sources: Mapping[str, str], version: str) -> str:
    """The feature's patch file: a header saying what it is and where its helpers live, then the
    unified diff of its changes against `sources` (apply with `patch -p1` in site-packages)."""
    helpers = sorted({(name, f"{helper.__module__}.{helper.__qualname__}")
                      for change in feature.changes if isinstance(change, Rewrite)
                      for name, helper in change.helpers.items()}
                     | {(change.helper, f"{change.wrapper.__module__}.{change.wrapper.__qualname__}"
                         if change.wrapper is not None else f"{feature.module} (made for each write)")
                        for change in feature.changes if isinstance(change, Wrap)})
    header = [f"{feature.name}: {feature.summary}",
              f"Against WeasyPrint {version}. Made by {feature.module}; generated by "
              "`python -m publish.engine.check --write` (do not edit by hand).",
              "docs/engine.md explains it as an upstream proposal."]
    if helpers:
        header.append("Names the changed lines call, and where publish defines them:")
        header += [f"  {name} = {where}" for name, where in helpers]
    anchors = [change for change in feature.changes if isinstance(change, Anchor)]
    if anchors:
        header.append("Relied on, unchanged (python -m publish.engine.check verifies them):")
        header += [f"  {anchor.file}: {_first(anchor.text)!r}: {anchor.why}" for anchor in anchors]
    body: list[str] = []
    for name, text in sorted(patched_sources(feature, sources).items()):
        body += difflib.unified_diff(sources[name].splitlines(keepends=True), text.splitlines(keepends=True),
                                     f"a/{name}", f"b/{name}")
    return "\n".join(header) + "\n\n" + "".join(body)
