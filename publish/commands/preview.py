"""`publish preview`: serve the book in a browser and rebuild it on every change.

Input: a book folder and a port. Output: a server on 127.0.0.1 only (never another interface) of the
book's `dist/` — `/` is the web edition, `/<slug>.pdf` the PDF — that reloads the open page when the
book changes; on each change to `manuscript/` or `styles/` (watchfiles) the web edition is rebuilt
first, without waiting for the layout (no print page numbers yet), then the full build follows with
the PDF, the EPUB, the web edition with its page numbers and `dist/preview.png`, a contact sheet of
the PDF's pages. Problems are printed and shown as a banner on the page; the server keeps running.
The reload script and the banner are added by the server as it sends a page: the built files have
neither.
"""

from __future__ import annotations

import functools
import html
import http.server
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from ..diagnostics import BookError

COLUMNS = 8
PAGE_HEIGHT_PX = 280
EVENTS = "/__publish/events"
RELOAD_SCRIPT = (f'<script>new EventSource("{EVENTS}").onmessage = () => location.reload();</script>')
PREVIEW_FORMATS = ("pdf", "epub", "web")


def contact_sheet(pdf: bytes) -> bytes:
    """Every page of the PDF, small, as one PNG: page 1 alone on the right, then spreads."""
    import io

    import pypdfium2
    from PIL import Image

    document = pypdfium2.PdfDocument(pdf)
    images = []
    for page in document:
        scale = PAGE_HEIGHT_PX / page.get_size()[1]
        images.append(page.render(scale=scale).to_pil().convert("RGB"))
    width, height = images[0].size
    gap = 12
    cells = [None] + images
    rows = (len(cells) + COLUMNS - 1) // COLUMNS
    sheet = Image.new("RGB", (COLUMNS * width + (COLUMNS // 2 + 1) * gap, rows * (height + gap) + gap),
                      (128, 128, 128))
    for index, image in enumerate(cells):
        if image is None:
            continue
        row, column = divmod(index, COLUMNS)
        x = gap + column * width + (column // 2) * gap
        sheet.paste(image, (x, gap + row * (height + gap)))
    out = io.BytesIO()
    sheet.save(out, format="PNG")
    return out.getvalue()


class Session:
    """What the server shows: a generation number (each finished rebuild adds one; open pages reload
    when it changes) and the problems of the last rebuild."""

    def __init__(self, book_dir: Path, echo: Callable[[str], None]):
        self.book_dir = book_dir
        self.out = book_dir / "dist"
        self.echo = echo
        self.generation = 0
        self.problems: list[str] = []
        self.changed = threading.Condition()
        self.wanted = 0  # the number of the latest change; a build of an older one stops
        self.full_wanted = threading.Event()
        self.pdf_name = "<slug>.pdf"

    def published(self, problems: list[str]) -> None:
        with self.changed:
            self.problems = problems
            self.generation += 1
            self.changed.notify_all()

    # ---- the two rebuilds ------------------------------------------------------------------------

    def quick_web(self) -> None:
        """The web edition from the manuscript alone: no layout, so no print page numbers, the last
        full build's cover and index of names kept until the next one."""
        from ..build import read, resolve
        from ..editions.web_edition import INDEX_PAGE, download_files, make_web
        from ..model import OutputFile, Written
        from ..outputs import commit

        started, started_ns = time.perf_counter(), time.time_ns()
        try:
            resolved = resolve(read(self.book_dir))
        except BookError as e:
            self._failed(e)
            return
        web = self.out / "web"
        cover_file, index_file = web / "images" / "cover.png", web / INDEX_PAGE
        cover = cover_file.read_bytes() if cover_file.is_file() else None
        downloads = tuple(p.name for p in self.out.glob("*") if p.suffix in (".pdf", ".epub"))
        files = make_web(resolved, None, cover, downloads)
        for name in download_files(resolved.config).values():  # the last full build's, as web/ holds them
            if (self.out / name).is_file():
                files[name] = (self.out / name).read_bytes()
        if index_file.is_file() and INDEX_PAGE not in files:  # a page the quick build cannot make yet
            files[INDEX_PAGE] = index_file.read_bytes()
        commit(Written(tuple(OutputFile("web", f"web/{name}", data) for name, data in files.items())), self.out,
               started_ns)
        self.echo(f"web edition rebuilt in {time.perf_counter() - started:.2f} s (page numbers follow)")
        self.published([str(w) for w in resolved.warnings])

    def full_build(self, change: int) -> None:
        """Every stage of a build, the contact sheet added to its outputs; a newer change stops it
        between stages (its outputs are not written)."""
        from ..build import lay_out, read, resolve, write
        from ..model import OutputFile, Written
        from ..outputs import commit

        started, started_ns = time.perf_counter(), time.time_ns()

        def superseded() -> bool:
            return self.wanted != change

        try:
            manuscript = read(self.book_dir)
            if superseded():
                return
            resolved = resolve(manuscript)
            if superseded():
                return
            laid = lay_out(resolved)
            if superseded():
                return
            written = write(laid, PREVIEW_FORMATS)
            if superseded():
                return
        except BookError as e:
            self._failed(e)
            return
        pdf = next(f for f in written.files if f.kind == "pdf")
        sheet = OutputFile("preview", "preview.png", contact_sheet(pdf.data))
        commit(Written((*written.files, sheet)), self.out, started_ns)
        self.pdf_name = pdf.name
        for warning in laid.warnings:
            self.echo(str(warning))
        self.echo(f"rebuilt in {time.perf_counter() - started:.1f} s: {pdf.name} ({pdf.pages} pages), the web "
                  f"edition, {self.out / sheet.name}")
        self.published([str(w) for w in laid.warnings])

    def _failed(self, error: BookError) -> None:
        problems = [str(d) for d in error.diagnostics]
        for line in problems:
            self.echo(line)
        self.echo("the book has errors: waiting for the next change")
        self.published(problems)

    def full_builds(self) -> None:
        """The worker thread: the full build of the latest change, again whenever a newer one comes."""
        while True:
            self.full_wanted.wait()
            self.full_wanted.clear()
            self.guarded(lambda: self.full_build(self.wanted))

    def guarded(self, rebuild: Callable[[], None]) -> None:
        """A rebuild that fails inside publish is reported (terminal and banner); the preview goes on."""
        try:
            rebuild()
        except Exception as e:  # noqa: BLE001 - a bug in publish must not stop the server
            problem = f"internal error: {type(e).__name__}: {e} (please report it)"
            self.echo(problem)
            self.published([problem])


# ---- the server ----------------------------------------------------------------------------------


class Handler(http.server.SimpleHTTPRequestHandler):
    session: Session

    def log_message(self, *args: Any) -> None:  # the terminal shows the book's problems, not each request
        pass

    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        path = self._checked_path()
        if path is None:
            return None
        if path == EVENTS:
            return self._events()
        if path == "/":
            self.send_response(302)
            self.send_header("Location", "/web/index.html")
            self.end_headers()
            return None
        if path.endswith(".html") or path.endswith("/"):
            return self._page()
        return super().do_GET()

    def do_HEAD(self) -> None:  # noqa: N802 - the standard library's name
        if self._checked_path() is not None:
            super().do_HEAD()

    def _checked_path(self) -> str | None:
        """The request's path, or None when it was answered with an error: a `Host` that is not
        this server's address (a page of another site reaching the preview through DNS
        rebinding, or none, or two: 421), a path with bad escapes, control characters or a hidden part (400, 404)."""
        hosts = self.headers.get_all("Host") or []
        port = self.server.server_address[1]  # type: ignore[index]  # an (address, port) pair: AF_INET
        if len(hosts) != 1 or hosts[0].lower() not in {f"127.0.0.1:{port}", f"localhost:{port}"}:
            self.send_error(421, "Misdirected Request", "this preview answers only http://127.0.0.1:PORT/")
            return None
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        try:
            decoded = unquote(path, errors="strict")
        except UnicodeDecodeError:
            self.send_error(400, "Bad Request", "the path is not UTF-8")
            return None
        if not path.startswith("/") or any(ord(c) < 32 or ord(c) == 127 for c in decoded):
            self.send_error(400, "Bad Request", "the path holds a control character")
            return None
        if any(part.startswith(".") for part in decoded.split("/")):
            self.send_error(404, "Not Found")
            return None
        return path

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def _page(self) -> None:
        """An HTML page of `dist/`, with the reload script and, when the book has problems, a banner."""
        file = Path(self.translate_path(self.path.split("?", 1)[0]))
        if file.is_dir():
            file = file / "index.html"
        elif self.path.split("?", 1)[0].endswith("/"):  # `/book.pdf/`: a file named as a folder
            return self.send_error(404, "Not Found")
        if not file.is_file():
            return self.send_error(404, "not built (yet)")
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return self.send_error(404, "Not Found")
        extra = _banner(self.session.problems) + RELOAD_SCRIPT
        text = text.replace("</body>", extra + "</body>", 1) if "</body>" in text else text + extra
        data = text.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        return None

    def _events(self) -> None:
        """Server-sent events: one message each time the book has been rebuilt."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        session = self.session
        seen = session.generation
        try:
            while True:
                with session.changed:
                    session.changed.wait_for(functools.partial(_moved_on, session, seen), timeout=15)
                    now = session.generation
                self.wfile.write(b"data: reload\n\n" if now != seen else b": still here\n\n")
                self.wfile.flush()
                seen = now
        except (BrokenPipeError, ConnectionResetError):
            return


def _moved_on(session: Session, seen: int) -> bool:
    return session.generation != seen


def _banner(problems: list[str]) -> str:
    if not problems:
        return ""
    lines = "".join(f"<li>{html.escape(p)}</li>" for p in problems[:20])
    return ('<div role="alert" style="position:fixed;left:0;right:0;bottom:0;z-index:99;max-height:40vh;'
            'overflow:auto;background:#fff3cd;color:#3d2c00;border-top:3px solid #b58100;padding:.6rem 1rem;'
            'font:14px/1.4 system-ui,sans-serif"><strong>publish: the book has problems</strong>'
            f'<ul style="margin:.3rem 0 0;padding-left:1.2rem;font-family:monospace">{lines}</ul></div>')


class QuietServer(http.server.ThreadingHTTPServer):
    """A request that fails (a browser closing its connection) never prints a traceback."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


def serve(session: Session, port: int) -> http.server.ThreadingHTTPServer:
    """The server, on loopback only, in a thread of its own."""
    session.out.mkdir(parents=True, exist_ok=True)
    handler = type("BookHandler", (Handler,), {"session": session})
    server = QuietServer(("127.0.0.1", port), functools.partial(handler, directory=str(session.out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class _Signals:
    """The last stop signal received (watchfiles turns any exception raised by a signal handler
    into a plain KeyboardInterrupt, so the handler records which signal it was)."""

    received = 0

    @classmethod
    def stop(cls, signum: int, frame: Any) -> None:
        cls.received = signum
        raise KeyboardInterrupt


def watch(book_dir: Path, once: bool, echo: Callable[[str], None], port: int = 8000) -> int:
    """Build, serve and rebuild until Ctrl-C (exit status 130) or SIGTERM (0). Every rebuild, the
    first included, is guarded: a failure is printed and shown, and the preview goes on. The
    builds run in this process's threads; a signal stops the server and the watcher at once (a
    build under way is abandoned: its outputs are committed whole or not at all)."""
    session = Session(book_dir, echo)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _Signals.stop)
    server = None
    try:
        session.guarded(lambda: session.full_build(0))
        if once:
            return 0
        from watchfiles import watch as watch_files

        server = serve(session, port)  # OSError (the port is taken): the command line says so
        echo(f"serving http://127.0.0.1:{server.server_address[1]}/ (the web edition; the PDF is "
             f"/{session.pdf_name})")
        threading.Thread(target=session.full_builds, daemon=True).start()
        paths = [p for p in (book_dir / "manuscript", book_dir / "styles") if p.is_dir()]
        echo(f"watching {', '.join(str(p) for p in paths)} (Ctrl-C to stop)")
        for changes in watch_files(*paths, debounce=50, step=20, raise_interrupt=True):
            names = sorted({Path(path).name for _, path in changes})
            echo(f"changed: {', '.join(names)}")
            session.wanted += 1
            session.guarded(session.quick_web)
            session.full_wanted.set()
        return 0
    except KeyboardInterrupt:
        echo("stopped")
        return 0 if _Signals.received == signal.SIGTERM else 130
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
