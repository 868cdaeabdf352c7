"""Notes: pop-up markup in the EPUB, and every note at the foot of its call's page in the PDF."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT, run
from epub_reading import NS, by_id, documents, epubcheck_messages
from generated import generated_book
from pdf_reading import destinations, folio, page_texts, small_words


def notes_on_their_call_page(pdf) -> tuple[int, int, list[str]]:
    """(notes on their call's page, notes, misplaced) read from the PDF's named destinations:
    `fnref-N` is the call's anchor, `fn-N` the note's own."""
    dests = destinations(pdf)
    calls = sorted((k for k in dests if re.fullmatch(r"fnref-\d+", k)), key=lambda k: int(k[6:]))
    wrong = [k for k in calls if dests.get("fn-" + k[6:]) != dests[k]]
    return len(calls) - len(wrong), len(calls), wrong


def test_every_pamphlet_note_is_on_its_call_page(pamphlet):
    good, total, wrong = notes_on_their_call_page(pamphlet["pdf"])
    print(f"pamphlet: {good}/{total} notes on their call's page")
    assert total >= 60 and wrong == []


def test_note_numbers_run_continuously_through_the_pamphlet(pamphlet):
    dests = destinations(pamphlet["pdf"])
    numbers = sorted(int(k[3:]) for k in dests if re.fullmatch(r"fn-\d+", k))
    assert numbers == list(range(1, len(numbers) + 1))
    pages = [dests[f"fn-{n}"] for n in numbers]
    assert pages == sorted(pages)


def test_printed_note_numbers_match_their_calls(pamphlet):
    """On each page, the note texts at the foot are numbered as the calls in the text."""
    dests = destinations(pamphlet["pdf"])
    texts = page_texts(pamphlet["pdf"])
    for key, page in dests.items():
        if re.fullmatch(r"fn-\d+", key):
            assert re.search(rf"^{key[3:]}\.\s", texts[page], re.M), (key, page)


def test_epub_notes_are_noterefs_and_footnote_asides_with_backlinks(pamphlet):
    docs = documents(pamphlet["epub"])
    refs = [(name, a) for name, root in docs.items()
            for a in root.xpath("//x:a[@epub:type='noteref']", namespaces=NS)]
    assert len(refs) >= 60
    for name, ref in refs:
        assert ref.get("role") == "doc-noteref"
        aside = by_id(docs, name + ref.get("href"))
        assert aside is not None and aside.tag.endswith("aside")
        assert aside.get("{http://www.idpf.org/2007/ops}type") == "footnote"
        assert aside.get("role") == "doc-footnote"
        [back] = aside.xpath(".//x:a[@role='doc-backlink']", namespaces=NS)
        assert back.get("href") == "#" + ref.get("id")
        assert back.text.rstrip(".") == ref.text
        # The markup every app shows as a pop-up (docs/epub.md, "Notes"): the call is the link's
        # text alone (no <sup> inside: Apple Books), the note opens with its number linking back
        # (Kindle shows one note per pop-up only then: pandoc #4491, #8676).
        assert len(ref) == 0 and ref.text.isdigit()
        first = aside[0]
        assert first.tag.endswith("p") and first[0] is back and not (first.text or "").strip()


def test_every_person_gets_a_note_at_first_mention(pamphlet, register):
    docs = documents(pamphlet["epub"])
    notes = " ".join("".join(a.itertext()) for root in docs.values()
                     for a in root.xpath("//x:aside", namespaces=NS))
    for person in register["person"]:
        if person.get("note"):
            assert person["display"] in notes, person["key"]


def test_editors_notes_correct_the_text_where_the_facts_differ(pamphlet):
    notes = " ".join("".join(a.itertext()) for root in documents(pamphlet["epub"]).values()
                     for a in root.xpath("//x:aside", namespaces=NS)).replace("\u00a0", " ")
    assert "Yugoslav embassy on 4 November" in notes
    assert "Kádár’s successor as party leader, from 22 May 1988, was Károly Grósz" in notes
    assert "hanged on 16 June 1958" in notes


@pytest.mark.slow
def test_generated_book_of_100_pages_keeps_notes_on_their_pages(tmp_path):
    book = generated_book(tmp_path / "big", chapters=14, paragraphs=30)
    result = run("build", str(book), "--format", "pdf", "--format", "epub", "--strict")
    assert result.exit_code == 0, result.output
    pdf = book / "dist" / "test-book.pdf"
    pages = len(page_texts(pdf))
    good, total, wrong = notes_on_their_call_page(pdf)
    print(f"generated book: {pages} pages, {good}/{total} notes on their call's page "
          f"({100 * good / total:.1f} %)")
    assert pages >= 100 and total >= 150
    assert wrong == []
    assert epubcheck_messages(book / "dist" / "test-book.epub") == []


def test_per_part_numbering_restarts_in_both_outputs(tmp_path):
    from conftest import BOOK_TOML, make_book

    part = "---\ntitle: {t}\n---\n\nOne[^a] and two.^[Inline note in {t}.]\n\n[^a]: First note of {t}.\n"
    toml = BOOK_TOML.format(parts='"one.md", "two.md"') + '\n[notes]\nnumbering = "part"\n'
    book = make_book(tmp_path, {"one.md": part.format(t="One"), "two.md": part.format(t="Two")}, toml=toml)
    result = run("build", str(book), "-f", "epub", "-f", "pdf")
    assert result.exit_code == 0, result.output
    docs = documents(book / "dist" / "test-book.epub")
    for name in ("one.xhtml", "two.xhtml"):
        calls = [a.text for a in docs[name].xpath("//x:a[@epub:type='noteref']", namespaces=NS)]
        assert calls == ["1", "2"]
    texts = page_texts(book / "dist" / "test-book.pdf")
    for title in ("One", "Two"):
        page = next(t for t in texts if t.startswith(title))
        assert re.search(r"^1\.\s+First note of " + title, page, re.M)
        assert re.search(r"^2\.\s+Inline note in " + title, page, re.M)


FILLER = ("The delegates of the factory council met at the works that morning and read the "
          "demands of the strike committee aloud to the crowd in the square. ")


def note_parts(pdf, words: list[str]) -> list[tuple[int, int]]:
    """Where the note whose words are `words` is printed: (page index, how many of its words) for
    each page it is on, read in order from the small type of the PDF's pages (poppler). The words
    must follow one another exactly; a word broken at a hyphen is joined again."""
    parts, position = [], 0
    for index, page in enumerate(small_words(pdf)):
        if position == len(words):
            break
        joined: list[str] = []
        for word in page:
            if joined and joined[-1].endswith(("-", "\u2010")):
                joined[-1] = joined[-1][:-1] + word
            else:
                joined.append(word)
        for start in range(len(joined)):
            count = 0
            while (position + count < len(words) and start + count < len(joined)
                   and joined[start + count] == words[position + count]):
                count += 1
            if count >= min(3, len(words) - position):
                parts.append((index, count))
                position += count
                break
    assert position == len(words), f"the note's text is not whole: {position} of {len(words)} words found"
    return parts


def page_of(pdf, word: str) -> int:
    return next(i for i, text in enumerate(page_texts(pdf)) if word in text)


@pytest.mark.parametrize("sentences", [20, 90])  # a note longer than the space left; one of two pages
def test_a_note_longer_than_the_space_left_goes_on_at_the_foot_of_the_next_pages(tmp_path, sentences):
    """The note's first lines are printed at the foot of its call's page, the rest at the foot of
    the next page(s) — before that page's own note —, and its text is whole, in order."""
    from conftest import make_book

    note = " ".join(f"Sentence {i} of the long note says what the committee decided that night." for i in
                    range(sentences)) + " The last words."
    body = (FILLER * 10 + "\n\nA call from Zanzibar[^long] here. " + FILLER * 2 + "A short one from Quito[^s] "
            "follows. " + FILLER * 30)
    book = make_book(tmp_path, {"one.md": f"---\ntitle: T\n---\n\n{body}\n\n[^long]: {note}\n\n"
                                          "[^s]: A short note on Quito.\n"})
    result = run("build", str(book), "-f", "pdf")
    assert result.exit_code == 0, result.output
    pdf = book / "dist" / "test-book.pdf"
    parts = note_parts(pdf, ["1."] + note.split())
    call_page = page_of(pdf, "Zanzibar")
    pages = [page for page, _ in parts]
    assert pages[0] == call_page and parts[0][1] >= 3  # begins on its call's page
    assert pages == list(range(call_page, call_page + len(pages)))  # goes on at the next pages
    assert len(pages) >= (2 if sentences == 20 else 3)
    short = note_parts(pdf, "2. A short note on Quito.".split())
    last = small_words(pdf)[pages[-1]]
    assert short[0][0] == pages[-1] and last.index("words.") < last.index("Quito.")  # after the long one
    if sentences == 20:  # the short note's call is on the page where the long note ends
        assert "[P00" not in result.output
        assert short[0][0] == page_of(pdf, "Quito")
    else:  # … or, when the long note still runs on there, on a page it fills: the note follows it
        assert short[0][0] > page_of(pdf, "Quito")
        assert re.findall(r"warning\[(P\d+)\]: note (\d+)", result.output) == [("P001", "2")]


def test_a_note_running_on_where_the_index_begins_gets_a_page_of_its_own_before_it(tmp_path):
    """The index is laid out apart and spliced in at its first page: a note's last part must not
    fall there. It is set on a page of its own — with the running head and the folio — first."""
    from conftest import make_book

    note = " ".join(f"Sentence {i} of the long note says what the committee decided that night." for i in
                    range(40)) + " The last words."
    names = '[[person]]\nkey = "alan"\nheading = "Turing, Alan"\ndisplay = "Alan Turing"\nvariants = ["Turing"]\n'
    body = "Turing said so. " + FILLER * 24 + "\n\nA call from Zanzibar[^long] here."
    book = make_book(tmp_path, {"one.md": f"---\ntitle: T\n---\n\n{body}\n\n[^long]: {note}\n"}, names=names)
    result = run("build", str(book), "-f", "pdf", "--strict")
    assert result.exit_code == 0, result.output
    pdf = book / "dist" / "test-book.pdf"
    parts = note_parts(pdf, ["1."] + note.split())
    texts = page_texts(pdf)
    pages = [page for page, _ in parts]
    assert len(pages) >= 2 and pages == list(range(page_of(pdf, "Zanzibar"), page_of(pdf, "Zanzibar") + len(pages)))
    last = texts[parts[-1][0]]
    assert folio(last) == str(int(folio(texts[parts[0][0]])) + len(pages) - 1)
    assert ("A Test Book" if int(folio(last)) % 2 == 0 else "T") in last.splitlines()  # its running head
    assert "Index of names" not in last and "Sentence" not in texts[page_of(pdf, "Turing, Alan")]


def test_a_note_kept_whole_by_the_style_and_too_long_for_the_page_is_reported(tmp_path):
    """What truly cannot be set: a style that forbids breaking notes, and a note taller than the
    page's note area. P003 names it; nothing is dropped from the other outputs."""
    from conftest import make_book

    note = "A very long note indeed. " * 300 + "The last words."
    book = make_book(tmp_path, {"one.md": f"---\ntitle: T\n---\n\nA call[^long] here.\n\n[^long]: {note}\n"})
    (book / "styles").mkdir()
    (book / "styles" / "print.css").write_text(".fn { break-inside: avoid; }\n")
    result = run("build", str(book), "-f", "pdf")
    assert result.exit_code == 0
    assert re.search(r"one\.md:7:1: warning\[P003\]: note 1 cannot be split at the foot of page \d+ and "
                     r"runs past it", result.output)
    assert run("build", str(book), "-f", "pdf", "--strict").exit_code == 1


def test_the_footnote_repair_fails_loudly_if_weasyprint_changes():
    import inspect

    from weasyprint.layout import block, page

    from publish.engine import notesplit
    from publish.engine.footnotes import ORIGINAL, install_repair
    from publish.engine.lines import ORPHANS, install_page_end

    source = inspect.getsource(block)
    assert source.count(ORIGINAL) == 1 and source.count(ORPHANS) == 1  # the lines the rewrites change are there
    assert source.count(notesplit.CALL) == 1
    page_source = inspect.getsource(page)
    for line in (notesplit.KEPT, notesplit.END, notesplit.GROUPS, *notesplit.EMPTY):
        assert page_source.count(line) == 1
    install_repair()
    install_page_end()
    notesplit.install()
    assert {"footnote-deferral", "note-split"} <= set(block._linebox_layout.publish_rewrites)
    assert "page-end-hyphen" in block._break_line.publish_rewrites
    assert "kept-page-notes" in page.make_all_pages.publish_rewrites
    assert {"notes-only-page-0", "notes-only-page-1"} <= set(page.make_page.publish_rewrites)
    assert page.remake_page.publish_weasyprint.publish_rewrites == ("notes-only-page", "notes-only-page-groups")


def test_the_engine_refuses_a_weasyprint_it_was_not_tested_with(monkeypatch):
    import weasyprint

    from publish.engine import EngineVersionError, require_weasyprint

    require_weasyprint()  # the installed, pinned one
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    with pytest.raises(EngineVersionError, match="tested with WeasyPrint 70.0, not 71.0"):
        require_weasyprint()



@pytest.mark.parametrize("note_css", ["", ".fn { margin-top: 2pt; }"])
def test_note_area_measured_once_per_note_agrees_with_weasyprints_own_measure(tmp_path, monkeypatch, note_css):
    """After every note added to a page, the note area's height, the height left for the text and
    the overflow flag are the same as WeasyPrint's own measure (which lays out all of the page's
    notes again each time); notes with margins are left to WeasyPrint's own code."""
    import shutil

    from weasyprint.layout import LayoutContext

    import publish.engine.footnotes as footnotes
    from publish.build import read, resolve
    from publish.diagnostics import Report
    from publish.printing.print_edition import lay_out

    footnotes.install()
    weasyprint_own = LayoutContext._update_footnote_area.publish_weasyprint
    handed_back, compared, differing = [0], [0], []

    def own_counted(context):
        handed_back[0] += 1
        return weasyprint_own(context)

    measured = footnotes.measured_footnote_area(own_counted)

    def compare(context):
        area = context.current_footnote_area
        before = (context.page_bottom, area.height)
        mine = (measured(context), context.page_bottom, area.height)
        context.page_bottom, area.height = before
        theirs = (weasyprint_own(context), context.page_bottom, area.height)
        compared[0] += 1
        if mine[0] != theirs[0] or any(abs(a - b) > 1e-6 for a, b in zip(mine[1:], theirs[1:], strict=True)):
            differing.append((mine, theirs))
        return theirs[0]

    book = tmp_path / "book"
    shutil.copytree(ROOT / "manuscript", book / "manuscript")
    if note_css:
        (book / "styles").mkdir()
        (book / "styles" / "print.css").write_text(note_css)
    monkeypatch.setattr(LayoutContext, "_update_footnote_area", compare)
    resolved = resolve(read(book))
    lay_out(resolved.book, resolved.config, resolved.register, Report(book), "2016-10-01T00:00:00Z")
    assert compared[0] >= 74 and differing == []
    assert handed_back[0] == (compared[0] if note_css else 0)


def test_pending_notes_answer_membership_as_a_list_of_boxes_does():
    """WeasyPrint's list of notes waiting to be placed, replaced by one that answers `in` by
    identity in constant time: the same answers as the list, through WeasyPrint's own uses of it."""
    from weasyprint.layout import LayoutContext

    from publish.engine.footnotes import PendingNotes, install_speed

    class Box:  # WeasyPrint's boxes compare by identity, like this
        pass

    a, b, c = Box(), Box(), Box()
    pending, plain = PendingNotes(), []
    for step in (("append", a), ("append", b), ("append", a), ("remove", a), ("append", c), ("remove", b)):
        getattr(pending, step[0])(step[1])
        getattr(plain, step[0])(step[1])
        for box in (a, b, c, None):
            assert (box in pending) == (box in plain)
        assert list(pending) == plain and bool(pending) == bool(plain)
    copy = pending.copy()
    copy.remove(a)
    assert a in pending and a not in copy and isinstance(copy, PendingNotes)
    with pytest.raises(NotImplementedError):
        pending.extend([b])

    install_speed()
    assert LayoutContext.__init__.publish_weasyprint  # installed on WeasyPrint's layout context


def test_a_note_call_is_not_glued_to_its_word_without_the_styles(pamphlet):
    """Read as converters without the EPUB's styles read it (the text of each paragraph, as Pandoc or
    a plain-text export does): a call stands in brackets, "CWI[1]", never "CWI1"."""
    checked = 0
    for name, root in documents(pamphlet["epub"]).items():
        for ref in root.xpath("//x:a[@epub:type='noteref']", namespaces=NS):
            paragraph = ref.getparent()
            while paragraph.tag.split("}")[1] not in ("p", "li", "h1", "h2", "h3", "figcaption", "td", "th"):
                paragraph = paragraph.getparent()
            text = "".join(paragraph.itertext())
            assert re.search(rf"\S\[{ref.text}\]", text), (name, ref.text, text)
            assert not re.search(rf"[A-Za-z]{ref.text}\b", text.replace(f"[{ref.text}]", "")), (name, text)
            checked += 1
    assert checked >= 60
