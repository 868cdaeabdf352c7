"""`publish preview` under faults: it stops when asked, at any moment, on a busy machine; it answers
bad requests with an error, never a traceback; it serves only requests addressed to it; a book
that fails from the first build on is shown, not fatal."""

from __future__ import annotations

import http.client
import multiprocessing
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import run


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _burn(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def _start(book: Path) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "publish", "preview", str(book), "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 180
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process, port
        except OSError:
            assert time.monotonic() < deadline and process.poll() is None, "preview did not start"
            time.sleep(0.2)


def _request(port: int, path: str, host: str | None = None, hosts: tuple[str, ...] | None = None) -> tuple[int, str]:
    """GET `path` with one `Host` (`host`, or the server's own address), or the headers `hosts`."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest("GET", path, skip_host=True)
    for value in (hosts if hosts is not None else (host or f"127.0.0.1:{port}",)):
        connection.putheader("Host", value)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read().decode("utf-8", "replace")
    connection.close()
    return response.status, body


def _descendants(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:
        parent = queue.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            found += children
            queue += children
    return found


@pytest.fixture
def busy_machine():
    """Both cores busy beside the preview, as on a loaded machine."""
    burners = [multiprocessing.get_context("spawn").Process(target=_burn, args=(120,)) for _ in range(2)]
    for burner in burners:
        burner.start()
    yield
    for burner in burners:
        burner.kill()
        burner.join()


@pytest.mark.parametrize(("stop", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 0)])
def test_a_signal_in_the_middle_of_rebuilds_stops_everything_within_two_seconds(tmp_path, busy_machine, stop,
                                                                                  status):
    """Three saves 0.4 s apart, a page listening on the event stream, then the signal 0.5 s later
    (a rebuild under way): the server, the watcher and every process it started are gone within 2 s."""
    book = tmp_path / "book"
    assert run("new", str(book)).exit_code == 0
    process, port = _start(book)
    events = socket.create_connection(("127.0.0.1", port))
    events.sendall(f"GET /__publish/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    chapter = next((book / "manuscript").glob("01-*.md"))
    for i in range(3):
        chapter.write_text(chapter.read_text(encoding="utf-8") + f"\nSaved {i}.\n", encoding="utf-8")
        time.sleep(0.4)
    time.sleep(0.5)
    children = _descendants(process.pid)
    process.send_signal(stop)
    started = time.monotonic()
    try:
        process.wait(timeout=2)
    finally:
        if process.poll() is None:
            process.kill()
    elapsed = time.monotonic() - started
    output = process.stdout.read() if process.stdout else ""
    events.close()
    assert process.returncode == status and elapsed <= 2, (process.returncode, elapsed, output)
    assert "Traceback" not in output, output
    time.sleep(0.2)
    assert [pid for pid in children if Path(f"/proc/{pid}").exists()] == []
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1)


def test_bad_requests_are_refused_without_a_traceback(tmp_path):
    book = tmp_path / "book"
    assert run("new", str(book)).exit_code == 0
    process, port = _start(book)
    try:
        assert _request(port, "/web/index.html")[0] == 200
        assert _request(port, "/x%00y")[0] == 400
        assert _request(port, "/web/%ff%fe.html")[0] == 400
        assert _request(port, "/web/%0aindex.html")[0] == 400
        assert _request(port, "/.publish/lock")[0] == 404
        assert _request(port, "/web/index.html", host="rebound.example.com")[0] == 421  # DNS rebinding
        assert _request(port, "/web/index.html", host=f"localhost:{port}")[0] == 200
        assert _request(port, "/web/index.html", hosts=())[0] == 421  # no Host at all
        assert _request(port, "/web/index.html", hosts=(f"127.0.0.1:{port}", "evil.example"))[0] == 421
        pdf = next(p.name for p in (book / "dist").iterdir() if p.suffix == ".pdf")
        assert _request(port, f"/{pdf}/")[0] == 404  # a file asked for as a folder
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=10)
    assert process.returncode == 0
    assert "Traceback" not in output, output


def test_a_book_with_errors_from_the_first_build_is_shown_and_the_preview_goes_on(tmp_path):
    book = tmp_path / "book"
    assert run("new", str(book)).exit_code == 0
    chapter = next((book / "manuscript").glob("01-*.md"))
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nA call of no note.[^nowhere]\n", encoding="utf-8")
    process, port = _start(book)
    try:
        assert process.poll() is None
        chapter.write_text(chapter.read_text(encoding="utf-8").replace("[^nowhere]", ""), encoding="utf-8")
        deadline = time.monotonic() + 120
        while _request(port, "/web/index.html")[0] != 200:
            assert time.monotonic() < deadline, "the mended book was never served"
            time.sleep(0.5)
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=10)
    assert "error[N002]" in output and "Traceback" not in output, output
