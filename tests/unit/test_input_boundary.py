"""Every file a book holds is read through the gate (publish/reading/gate.py): no other code in
publish/ opens a file, except where the file is publish's own (its templates, assets, fonts, the
scaffold), an output publish wrote, or a file the user names on the command line. The calls that
read files are found in the syntax tree, so a new one anywhere fails this test until it goes
through the gate or is listed below with its reason."""

from __future__ import annotations

import ast

from conftest import ROOT

PACKAGE = ROOT / "publish"
# Calls that read a file: builtins, methods of paths and images, loaders, low-level opens.
READERS = {"open", "read_text", "read_bytes", "FileSystemLoader", "load", "PdfDocument", "fdopen", "TTFont",
           "open_font", "CSS", "HTML", "copyfile", "copy", "copy2", "copytree", "urlopen"}
# Receivers whose `load`/`copy` read a file (a document's `copy()` does not).
FILE_MODULES = {"load": ("tomllib", "json", "yaml", "pickle"), "copy": ("shutil",)}
# (file, enclosing function, the call as written) → why it may read without the gate.
OWN_FONTS = "the installed font packages (publish's own fonts)"
GATE_BYTES = "bytes the gate read (an in-memory file)"
ALLOWED = {
    ("reading/gate.py", "read_bytes", "os.open"): "the gate itself",
    ("reading/gate.py", "read_bytes", "os.fdopen"): "the gate itself",
    ("reading/gate.py", "read_text", "read_bytes"): "the gate itself",
    ("reading/fonts.py", "open_font", "TTFont"): OWN_FONTS,
    ("reading/fonts.py", "space_em", "open_font"): OWN_FONTS,
    ("reading/fonts.py", "fallback_subsets", "open_font"): OWN_FONTS,
    ("resolving/glyphs.py", "covered", "open_font"): OWN_FONTS,
    ("reading/images.py", "_inspect_raster", "Image.open"): GATE_BYTES,
    ("reading/images.py", "optimised", "Image.open"): GATE_BYTES,
    ("reading/images.py", "image_size", "Image.open"): GATE_BYTES,
    ("reading/images.py", "pdf_page_size", "pypdfium2.PdfDocument"): GATE_BYTES,
    ("reading/images.py", "pdf_cover_png", "pypdfium2.PdfDocument"): GATE_BYTES,
    ("resolving/ids.py", "template_ids", "path.read_text"): "publish's own templates and code",
    ("engine/check.py", "expected_line", "path.read_text"): "publish's own patch files",
    ("engine/patching.py", "installed_sources", "path.read_text"): "the installed WeasyPrint's source files",
    ("rendering/render.py", "get_source", "own.read_text"): "publish's own templates (a book's: the gate)",
    ("editions/epub_edition.py", "make_epub", "(ASSETS / 'epub.css').read_text"): "publish's own epub.css",
    ("editions/epub_edition.py", "make_epub", "path.read_bytes"): "publish's embedded fonts",
    ("editions/web_edition.py", "make_web", "(ASSETS / 'web.css').read_text"): "publish's own web.css",
    ("editions/web_fonts.py", "web_fonts", "open_font"): OWN_FONTS,
    ("editions/web_fonts.py", "_cut", "Path(path).read_bytes"): OWN_FONTS,
    ("editions/web_fonts.py", "_cut", "kept.read_bytes"): "a font cut publish made and kept (temporary folder)",
    ("editions/web_fonts.py", "_cut", "os.fdopen"): "a font cut being kept (temporary folder)",
    ("editions/web_fonts.py", "_font_from_bytes", "TTFont"): "a font cut publish made (bytes)",
    ("editions/web_fonts.py", "_stand_in_metrics", "(ASSETS / 'fallback-metrics.json').read_text"):
        "publish's own fallback metrics",
    ("editions/web_images.py", "cover_picture", "Image.open"): "the cover publish drew (bytes)",
    ("editions/web_images.py", "figure_picture", "Image.open"): GATE_BYTES,
    ("printing/print_edition.py", "stylesheets", "(ASSETS / 'print.css').read_text"): "publish's own print.css",
    ("printing/layout.py", "parse", "CSS"): "CSS text already read (a string; its URLs: the fetcher's gate)",
    ("printing/layout.py", "render", "HTML"): "HTML made by publish (a string; its URLs: the fetcher's gate)",
    ("printing/cover.py", "cover_png", "pypdfium2.PdfDocument"): "a PDF publish just made (bytes)",
    ("engine/pdfx.py", "__call__", "condition.profile.read_bytes"): "the colour profile publish ships",
    ("reading/history.py", "reads_only_itself", "config_file.read_text"):
        "the book's git configuration, a regular file, only to see whether git would read elsewhere",
    ("rendering/render.py", "_memory_limit", "Path('/proc/self/statm').read_text"): "the process's own size",
    ("outputs.py", "_locked", "os.open"): "the output folder's lock",
    ("outputs.py", "_write", "os.open"): "an output being written",
    ("outputs.py", "_write", "os.fdopen"): "an output being written",
    ("outputs.py", "_sync_dir", "os.open"): "an output folder, synced",
    ("outputs.py", "read_manifest", "(out_dir / META / 'current' / MANIFEST).read_text"): "the output set's manifest",
    ("outputs.py", "_legacy_outputs", "(out_dir / LEGACY_STATE).read_text"): "an earlier build's state file",
    ("outputs.py", "_stage", "shutil.copy2"): "an earlier output carried into the new set",
    ("commands/state.py", "fingerprint", "path.read_bytes"): "publish's own code (a book's files: the gate)",
    ("commands/preview.py", "contact_sheet", "pypdfium2.PdfDocument"): "the PDF the build wrote",
    ("commands/preview.py", "quick_web", "cover_file.read_bytes"): "the web edition the build wrote",
    ("commands/preview.py", "quick_web", "index_file.read_bytes"): "the web edition the build wrote",
    ("commands/preview.py", "quick_web", "(self.out / name).read_bytes"): "the downloads the build wrote",
    ("commands/preview.py", "_page", "file.read_text"): "the web edition the build wrote",
    ("commands/catalog.py", "_thumbnail", "Image.open"): "the cover the build wrote",
    ("commands/catalog.py", "catalog_page", "FileSystemLoader"): "publish's own templates",
    ("commands/scaffold.py", "new_book", "path.read_text"): "publish's own scaffold",
    ("checking/check.py", "_run_ace", "(work / 'ace' / 'report.json').read_text"): "Ace's report",
    ("checking/preflight.py", "preflight", "path.read_bytes"): "a PDF the user names, or one the build wrote",
    ("checking/preflight.py", "_check_with_pdfium", "pdfium.PdfDocument"): "the bytes of that PDF",
    ("checking/covers.py", "_front_cover", "pdfium.PdfDocument"): "a PDF the user names, or one the build wrote",
}


def _reads() -> list[tuple[str, str, int, str]]:
    """(file, enclosing function, line, call) for every call that may read a file."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        wraps_gate = any(isinstance(node, ast.ImportFrom) and (node.module or "").endswith("reading.config")
                         and any(alias.name == "read_text" for alias in node.names) for node in ast.walk(tree))
        functions = [(node.lineno, node.end_lineno or node.lineno, node.name) for node in ast.walk(tree)
                     if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if called not in READERS:
                continue
            receiver = getattr(node.func.value, "id", "") if isinstance(node.func, ast.Attribute) else ""
            if called in FILE_MODULES and receiver not in FILE_MODULES[called]:
                continue
            if receiver == "gate" or called == "read_text" and receiver == "" and wraps_gate:
                continue  # the gate, or config.read_text (which only calls the gate)
            enclosing = [f for f in functions if f[0] <= node.lineno <= f[1]]
            inner = min(enclosing, key=lambda f: f[1] - f[0])[2] if enclosing else "<module>"
            found.append((name, inner, node.lineno, ast.unparse(node.func)))
    return found


def test_no_code_but_the_gate_reads_a_book_file():
    stray = [f"publish/{name}:{line}: {called}() in {function}()" for name, function, line, called in _reads()
             if (name, function, called) not in ALLOWED]
    assert stray == []


def test_the_allow_list_holds_only_places_that_read():
    """Each exemption still names a place that reads (a stale one would hide a new read there)."""
    reading = {(name, function, called) for name, function, _, called in _reads()}
    assert sorted(set(ALLOWED) - reading) == []


def test_the_scan_finds_a_read_so_it_can_fail():
    reads = {(name, called) for name, _, _, called in _reads()}
    assert ("reading/gate.py", "os.fdopen") in reads and ("rendering/render.py", "own.read_text") in reads


def test_every_template_environment_is_jinjas_immutable_sandbox():
    """No `jinja2.Environment` is made anywhere: a template could reach Python's internals from one."""
    made = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if called.endswith("Environment") or called == "BookSandbox":
                    made.append((path.relative_to(PACKAGE).as_posix(), called))
    assert made and {called for _, called in made} <= {"ImmutableSandboxedEnvironment", "BookSandbox"}, made
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from publish.rendering.render import BookSandbox
    assert issubclass(BookSandbox, ImmutableSandboxedEnvironment)
