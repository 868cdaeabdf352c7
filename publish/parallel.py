"""Run one writer in a forked child while the parent runs the others (both cores at work).

Input: a function returning bytes (it may use anything already laid out: the child is a copy of
the parent at the fork). Output: a callable that waits for the child and returns those bytes. The
child never writes a file; if it fails, the parent raises. Where fork is unavailable (or
PUBLISH_SERIAL is set) the function simply runs in the parent when its result is asked for.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable


class WriterFailed(RuntimeError):
    """A writer running in a child process failed; the message carries its traceback."""


def in_background(work: Callable[[], bytes]) -> Callable[[], bytes]:
    if not hasattr(os, "fork") or os.environ.get("PUBLISH_SERIAL"):
        return work
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, leave without running the parent's cleanup
        os.close(read_end)
        try:
            payload = b"\0" + work()
        except BaseException:  # noqa: BLE001 - everything goes back to the parent
            payload = b"\1" + traceback.format_exc().encode()
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(payload)
        os._exit(0)
    os.close(write_end)

    def result() -> bytes:
        with os.fdopen(read_end, "rb") as pipe:
            payload = pipe.read()
        os.waitpid(pid, 0)
        if not payload or payload[:1] != b"\0":
            raise WriterFailed(payload[1:].decode(errors="replace") or "the writer process died")
        return payload[1:]

    return result
