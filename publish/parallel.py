"""Run one writer in a forked child while the parent runs the others (both cores at work).

Input: a function returning bytes (it may use anything already laid out: the child is a copy of
the parent at the fork). Output: a `Background` whose `result()` waits for the child and returns
those bytes. The child never writes a file; if it fails, `result()` raises. Used as a context
manager, a child whose result was never asked for (the parent failed first) is stopped. Where fork
is unavailable (or PUBLISH_SERIAL is set) the function runs in the parent when its result is asked.
"""

from __future__ import annotations

import os
import signal
import traceback
from collections.abc import Callable


class WriterFailed(RuntimeError):
    """A writer running in a child process failed; the message carries its traceback."""


class Background:
    def __init__(self, work: Callable[[], bytes]):
        self.work = work
        self.pid = 0
        self.read_end = -1
        if hasattr(os, "fork") and not os.environ.get("PUBLISH_SERIAL"):
            self._fork()

    def _fork(self) -> None:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: compute, send, leave without running the parent's cleanup
            os.close(read_end)
            try:
                payload = b"\0" + self.work()
            except BaseException:  # noqa: BLE001 - everything goes back to the parent
                payload = b"\1" + traceback.format_exc().encode()
            try:
                with os.fdopen(write_end, "wb") as pipe:
                    pipe.write(payload)
            except OSError:  # the parent is gone (killed): nobody to tell
                pass
            finally:
                os._exit(0)  # never return into the parent's code
        os.close(write_end)
        self.pid, self.read_end = pid, read_end

    def result(self) -> bytes:
        if not self.pid:
            return self.work()
        with os.fdopen(self.read_end, "rb") as pipe:
            payload = pipe.read()
        os.waitpid(self.pid, 0)
        self.pid = 0
        if not payload or payload[:1] != b"\0":
            raise WriterFailed(payload[1:].decode(errors="replace") or "the writer process died")
        return payload[1:]

    def __enter__(self) -> Background:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pid:  # never collected: stop the child and close the pipe
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            os.close(self.read_end)
            self.pid = 0
