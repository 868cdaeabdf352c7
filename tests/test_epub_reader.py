"""The EPUB opened in a real reading engine: foliate-js (the engine of the Foliate app), its own demo
reader (`reader.html`) in Debian's Chromium. Like Foliate, Apple Books and Kobo, it hides footnote
`aside`s from the page and shows them only as pop-ups, so an index locator pointing into a note's
text would land on nothing: every locator of a name mentioned in a note ("Bulganin 5n14") is
followed here, as a reader's click, and must land on the note's call, visible on the page shown."""

from __future__ import annotations

import re
import shutil

import pytest
from browser_tools import CHROMIUM, FOLIATE, chromium, serve

pytestmark = pytest.mark.skipif(not CHROMIUM.exists() or not FOLIATE.exists(),
                                reason="chromium and foliate-js: run ./install-system-packages --test")

OPEN = """async () => {
    // the reader shows its navigation bar when it has opened the book and turned to the first page
    for (let i = 0; i < 300 && document.querySelector('#nav-bar')?.style.visibility !== 'visible'; i++)
        await new Promise(r => setTimeout(r, 100))
    await new Promise(r => setTimeout(r, 500))
    return reader.view.book.sections.map(s => s.id)
}"""

# Go to the index, click its `n`-th locator of a mention in a note, wait until the engine has moved,
# and say where it landed: the target's text, and whether it is displayed on the page shown.
FOLLOW = """async ([index, n]) => {
    const view = reader.view
    const settle = () => new Promise(r => setTimeout(r, 400))
    const sectionIndex = view.book.sections.findIndex(s => s.id === index)
    let indexDoc = null
    for (let i = 0; i < 20 && !indexDoc?.querySelector('a[href]'); i++) {
        await view.goTo(index)
        await settle()
        indexDoc = view.renderer.getContents().find(c => c.index === sectionIndex)?.doc
    }
    const inNotes = [...indexDoc.querySelectorAll('a[href]')]
        .filter(a => a.closest('[id^="ix-"]') && /^n\\d/.test(a.nextSibling?.textContent ?? ''))
    if (n >= inNotes.length) return {count: inNotes.length}
    const link = inNotes[n]
    const moved = new Promise(r => view.addEventListener('relocate', r, {once: true}))
    link.click()
    await moved
    await settle()
    const [{doc}] = view.renderer.getContents()
    const id = link.getAttribute('href').split('#')[1]
    const target = doc.getElementById(id)
    const frame = doc.defaultView.frameElement.getBoundingClientRect()
    const shown = view.getBoundingClientRect()
    const box = target?.getBoundingClientRect()
    const x = box && frame.left + box.left + box.width / 2, y = box && frame.top + box.top + box.height / 2
    return {count: inNotes.length, href: link.getAttribute('href'),
            locator: link.textContent + link.nextSibling.textContent,
            entry: link.closest('[id^="ix-"]').querySelector('[epub\\\\:type="index-term"], span')?.textContent,
            text: target?.textContent ?? null, noteref: target?.getAttribute('epub:type') ?? '',
            displayed: !!box && box.width > 0 && box.height > 0
                       && doc.defaultView.getComputedStyle(target).visibility !== 'hidden',
            onPage: !!box && x >= shown.left && x <= shown.right && y >= shown.top && y <= shown.bottom,
            opensNote: !!(target?.getAttribute('href') && doc.getElementById(target.getAttribute('href').slice(1))),
            brackets: [target?.previousElementSibling, target?.nextElementSibling]
                .map(b => b?.matches('.fn-bracket') ? b.textContent + b.getBoundingClientRect().width : null)}
}"""


def test_every_note_locator_of_the_index_lands_on_the_notes_call(pamphlet, tmp_path):
    shutil.copytree(FOLIATE, tmp_path / "foliate", ignore=shutil.ignore_patterns("tests", "rollup"))
    shutil.copy(pamphlet["epub"], tmp_path / "foliate" / "book.epub")
    with serve(tmp_path / "foliate") as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1000, "height": 760})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{base}/reader.html?url=book.epub")
        sections = page.evaluate(OPEN)
        index = next(s for s in sections if s.endswith("index.xhtml"))
        landed = []
        n = 0
        while True:
            where = page.evaluate(FOLLOW, [index, n])
            if n >= where["count"]:
                break
            landed.append(where)
            n += 1
        page.close()
    assert errors == []
    assert len(landed) >= 5, landed
    for where in landed:
        assert where["noteref"] == "noteref", where  # the call, not the note's hidden text
        assert where["displayed"] and where["onPage"], where
        assert re.fullmatch(r"\d+", where["text"].strip()), where  # the call's number …
        assert where["locator"].split("n")[1].startswith(where["text"].strip()), where  # … of the note named
        assert where["opensNote"], where  # and from there the note opens
        assert where["brackets"] == ["[0", "]0"], where  # the call's brackets, for plain text: not seen
