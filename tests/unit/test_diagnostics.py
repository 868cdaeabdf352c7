"""Diagnostics as the user reads them (publish/diagnostics.py): `path:line:col: severity[CODE]:
message`, the path relative to the book, each problem once, errors before warnings."""

from __future__ import annotations

from pathlib import Path

from publish.diagnostics import BookError, Diagnostic, Report, display_path, fail


def test_a_diagnostic_reads_like_a_compilers():
    d = Diagnostic("manuscript/one.md", 12, 41, "error", "N002", "note [^suez] is used but never defined")
    assert str(d) == "manuscript/one.md:12:41: error[N002]: note [^suez] is used but never defined"


def test_paths_are_shown_relative_to_the_book(tmp_path):
    assert display_path(tmp_path / "manuscript" / "one.md", tmp_path) == "manuscript/one.md"
    assert display_path(Path("/elsewhere/one.md"), tmp_path) == "/elsewhere/one.md"  # outside: as it is
    assert display_path("manuscript/one.md", tmp_path) == "manuscript/one.md"


def test_a_report_keeps_each_problem_once_and_places_it_at_1_1_at_least(tmp_path):
    report = Report(tmp_path)
    for _ in range(2):
        report.error(tmp_path / "manuscript" / "one.md", 5, 3, "N002", "note [^a] is used but never defined")
    report.warning(tmp_path / "manuscript" / "names.toml", 0, 0, "K002", "register entry `x` is never mentioned")
    assert [str(d) for d in report.items] == [
        "manuscript/one.md:5:3: error[N002]: note [^a] is used but never defined",
        "manuscript/names.toml:1:1: warning[K002]: register entry `x` is never mentioned"]
    assert len(report.errors) == 1 and len(report.warnings) == 1


def test_a_stopped_build_lists_its_errors_first_each_in_the_order_of_its_files(tmp_path):
    report = Report(tmp_path)
    report.warning("manuscript/a.md", 1, 1, "K004", "double space in the text")
    report.error("manuscript/b.md", 9, 1, "N001", "b")
    report.error("manuscript/b.md", 2, 7, "N002", "a")
    stopped = BookError(report.items)
    assert [(d.path, d.line, d.code) for d in stopped.diagnostics] == [
        ("manuscript/b.md", 2, "N002"), ("manuscript/b.md", 9, "N001"), ("manuscript/a.md", 1, "K004")]


def test_warnings_stop_a_build_only_when_it_is_strict(tmp_path):
    report = Report(tmp_path)
    report.warning("manuscript/a.md", 1, 1, "K004", "double space in the text")
    report.raise_if_errors()  # nothing raised
    try:
        report.raise_if_errors(strict=True)
    except BookError as stopped:
        assert [d.code for d in stopped.diagnostics] == ["K004"]
    else:
        raise AssertionError("a strict build goes on past a warning")


def test_fail_is_one_located_error(tmp_path):
    [d] = fail(tmp_path / "manuscript" / "book.toml", 0, 4, "C002", "invalid TOML", tmp_path).diagnostics
    assert str(d) == "manuscript/book.toml:1:4: error[C002]: invalid TOML"
