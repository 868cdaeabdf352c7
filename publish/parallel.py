"""Run one writer in a child process — a fresh interpreter, never a fork — while the parent works.

Input: a module-level function taking the child's end of a pipe (`serve(conn)`: it receives its
inputs with `conn.recv()` and returns a picklable result). Output: a `Child` whose `send` passes it
inputs and whose `result()` waits for that result. The child is started with multiprocessing's
`spawn` (fork + exec of a new interpreter: safe from any thread, shares nothing), so it imports its
modules while the parent is still busy; it never writes a file. If it fails or dies, `result()`
raises `WriterFailed`; `close()` (or leaving the `with` block) stops a child nobody collected.

`serve_jobs` is such a function for a child given several pieces of work as they become ready:
(function, arguments) pairs, run in the order sent, then `None`; its result is the list of theirs.
A thread of the child takes each job off the pipe as soon as it is sent, so the parent never waits
for the child to be free before going on with its own work.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from .diagnostics import BookError


class WriterFailed(RuntimeError):
    """A writer running in a child process failed; the message carries its traceback."""


def _run(work: Callable[[Connection], Any], conn: Connection) -> None:
    try:
        reply: tuple[str, Any] = ("ok", work(conn))
    except BookError as e:  # the book's fault, found late (a template): its diagnostics, located
        reply = ("book", e.diagnostics)
    except BaseException:  # noqa: BLE001 - everything goes back to the parent
        reply = ("error", traceback.format_exc())
    try:
        conn.send(reply)
    except OSError:  # the parent is gone: nobody to tell
        pass


Job = tuple[Callable[..., Any], tuple[Any, ...]]


def serve_jobs(conn: Connection) -> list[Any]:
    """In the child: run each (function, arguments) job the parent sends, until it sends None."""
    jobs: queue.SimpleQueue[Job | None] = queue.SimpleQueue()

    def receive() -> None:
        try:
            while (job := conn.recv()) is not None:
                jobs.put(job)
        except (EOFError, OSError):  # the parent is gone: the jobs received are all there will be
            pass
        jobs.put(None)

    threading.Thread(target=receive, daemon=True).start()
    results = []
    while (job := jobs.get()) is not None:
        function, arguments = job
        results.append(function(*arguments))
    return results


class Child:
    def __init__(self, work: Callable[[Connection], Any]):
        context = multiprocessing.get_context("spawn")
        self.conn, theirs = context.Pipe()
        self.process = context.Process(target=_run, args=(work, theirs), daemon=True)
        self.process.start()
        theirs.close()
        self.done = False

    def send(self, value: Any) -> None:
        try:
            self.conn.send(value)
        except OSError:  # the child died; result() says so
            pass

    def result(self) -> Any:
        try:
            status, value = self.conn.recv()
        except (EOFError, OSError):
            status, value = "error", f"the writer process died (exit code {self._exit_code()})"
        self.process.join(timeout=5)  # it leaves as soon as its result is sent
        self.close()
        if status == "book":
            raise BookError(value)
        if status != "ok":
            raise WriterFailed(value)
        return value

    def _exit_code(self) -> int | None:
        self.process.join(timeout=5)
        return self.process.exitcode

    def close(self) -> None:
        """Stop the child if it is still running, and release the pipe."""
        if self.done:
            return
        self.done = True
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()
        self.process.close()

    def __enter__(self) -> Child:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
