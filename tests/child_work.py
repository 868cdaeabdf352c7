"""Functions run in child processes by the tests (importable by a fresh interpreter)."""

from __future__ import annotations

from multiprocessing.connection import Connection


def wait_for_input(conn: Connection) -> bytes:
    data: bytes = conn.recv()
    return data
