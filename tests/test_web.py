"""The web edition, opened in a real browser (Debian's chromium through Playwright): every page loads
cleanly, nothing scrolls sideways from phones to wide screens, notes open and close in place by
keyboard and by click, the index of names lands on the names, axe-core finds nothing, the print
page numbers are the EPUB's, and nothing is asked of another site."""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
import zipfile
from pathlib import Path

import pytest
from browser_tools import ARTIFACTS, AXE, CHROMIUM, axe_violations, before_boxes, chromium, serve
from conftest import ROOT, make_book, run

pytestmark = pytest.mark.skipif(not CHROMIUM.exists() or not AXE.exists(),
                                reason="chromium and axe-core: run ./install-system-packages --test")

WIDTHS = (360, 1280)
ALL_WIDTHS = (360, 768, 1280)


@pytest.fixture(scope="module")
def site(pamphlet):
    """The pamphlet's dist folder on a loopback server: (base URL of the web edition, its folder)."""
    with serve(pamphlet["dir"]) as base:
        yield f"{base}/web", pamphlet["dir"] / "web"


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def pages_of(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*.html"))


def open_page(browser, url: str, width: int = 1280, scheme: str = "light"):
    """A new page at `url`, recording console errors, failed requests and requests to other hosts."""
    page = browser.new_page(viewport={"width": width, "height": 800}, color_scheme=scheme)
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: page.problems.append(f"failed: {r.url}"))
    page.on("response", lambda r: r.status >= 400 and page.problems.append(f"HTTP {r.status}: {r.url}"))
    page.on("request", lambda r: not r.url.startswith(("http://127.0.0.1", "data:"))
            and page.problems.append(f"third party: {r.url}"))
    page.goto(url, wait_until="networkidle")
    return page


def test_the_web_edition_has_a_landing_page_a_page_per_part_and_the_index(site, pamphlet):
    url, folder = site
    parts = tomllib.loads((ROOT / "manuscript" / "book.toml").read_text(encoding="utf-8"))["parts"]
    names = set(pages_of(folder))
    assert {"index.html", "names.html"} <= names
    assert len(names) == len(parts) + 2
    assert (folder / "css" / "web.css").is_file() and list((folder / "fonts").glob("*.woff2"))


def test_every_page_loads_without_error_or_third_party_request(site, browser):
    url, folder = site
    for name in pages_of(folder):
        page = open_page(browser, f"{url}/{name}")
        assert page.problems == [], name
        assert page.evaluate("document.documentElement.lang") == "en-GB"
        page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_nothing_scrolls_sideways(site, browser, width):
    url, folder = site
    for name in pages_of(folder):
        page = open_page(browser, f"{url}/{name}", width)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} at {width} px scrolls sideways by {overflow} px"
        page.close()


def test_screenshots_of_the_landing_page_and_a_part(site, browser):
    url, _ = site
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        for name in ("index.html", "03-hungary-ignites.html"):
            page = open_page(browser, f"{url}/{name}", width)
            shot = ARTIFACTS / f"web-{name.removesuffix('.html')}-{width}.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
            page.close()


def test_a_note_opens_by_keyboard_and_by_click_and_closes(site, browser):
    url, _ = site
    page = open_page(browser, f"{url}/03-hungary-ignites.html", 360)
    call = page.locator("button.noteref").first
    note = page.locator(f"#{call.get_attribute('popovertarget')}")
    expected = page.locator(f"li.footnote[value='{call.inner_text().split()[-1]}']").inner_text()
    assert not note.is_visible()
    call.focus()
    page.keyboard.press("Enter")
    assert note.is_visible()
    text = note.inner_text()
    assert text.split("\n")[0].strip() in expected.replace("\n", " ") or text[:40] in expected
    box, call_box = note.bounding_box(), call.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360  # on screen, below its call
    assert box["y"] >= call_box["y"]
    page.keyboard.press("Escape")
    assert not note.is_visible()
    call.click()
    assert note.is_visible()
    note.get_by_role("button", name=re.compile("Close")).click()
    assert not note.is_visible()
    page.close()


def test_the_notes_are_listed_with_links_back_to_their_calls(site, browser):
    url, _ = site
    page = open_page(browser, f"{url}/03-hungary-ignites.html")
    calls = page.locator("button.noteref").all()
    backs = page.locator("li.footnote a.backlink").all()
    assert calls and len(backs) == len(calls)
    for back in backs:
        target = back.get_attribute("href")[1:]
        assert page.locator(f"button.noteref#{target}").count() == 1
    page.close()


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).casefold()


def test_every_index_link_lands_on_the_name(site, browser, register):
    url, folder = site
    spellings = {p["key"]: [p["heading"].split(",")[0], *p.get("variants", [])] for p in register["person"]}
    page = open_page(browser, f"{url}/names.html")
    links = page.evaluate("""() => [...document.querySelectorAll('li[id^="ix-"] a.locator')]
                             .map(a => [a.closest('li').id.slice(3), a.getAttribute('href'),
                                        /n\\d/.test(a.nextSibling?.textContent || '')])""")
    assert len(links) > 40
    pages: dict[str, object] = {}
    in_notes = 0
    for key, href, in_note in links:
        file, anchor = href.split("#")
        if file not in pages:
            pages[file] = open_page(browser, f"{url}/{file}", 360)
        target = pages[file].locator(f"[id='{anchor}']")
        assert target.count() == 1 and target.is_visible(), href
        if in_note:  # "5n14": the note's call in the text, which opens the note naming the person
            in_notes += 1
            assert target.evaluate("e => e.matches('button.noteref')"), (key, href)
            target.click()
            note = pages[file].locator(f"[id='{target.get_attribute('popovertarget')}']")
            assert note.is_visible(), href
            text = _fold(note.inner_text())
            pages[file].keyboard.press("Escape")
        else:
            text = _fold(target.inner_text())
        assert any(_fold(s) in text for s in spellings[key]), (key, href, text)
    assert in_notes >= 5
    # and a click follows the link
    page.locator("a.locator").first.click()
    page.wait_for_load_state()
    assert page.evaluate("location.hash").startswith("#m-")


def test_print_page_numbers_are_the_epubs_page_list(site, pamphlet):
    _, folder = site
    with zipfile.ZipFile(pamphlet["epub"]) as z:
        nav = next(z.read(n).decode() for n in z.namelist() if n.endswith("nav.xhtml"))
    page_list = nav.split('epub:type="page-list"')[1]
    epub_pages = re.findall(r'href="([^"#]+)#page-([^"]+)"', page_list)
    web_pages = {}
    for file in folder.glob("*.html"):
        for label in re.findall(r'<span class="pagebreak[^"]*" id="page-([^"]+)"', file.read_text(encoding="utf-8")):
            web_pages[label] = file.name
    assert len(epub_pages) >= 15
    web_name = {"index.xhtml": "names.html"}  # the EPUB's index is the site's names.html
    assert {label: web_name.get(name, name.replace(".xhtml", ".html")) for name, label in epub_pages} == web_pages


def _intersect(a: dict, b: dict) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


@pytest.mark.parametrize("width", ALL_WIDTHS)
def test_print_page_numbers_in_the_margin_never_overlap(site, browser, width):
    """Each number's box as Chromium draws it: blank pages' numbers (which share the next page's
    place) are one number, "2–3", never numbers drawn on top of each other."""
    url, folder = site
    seen = 0
    for name in pages_of(folder):
        page = open_page(browser, f"{url}/{name}", width)
        boxes = before_boxes(page, "pagebreak")
        seen += len(boxes)
        for i, (first, a) in enumerate(boxes):
            assert a["width"] > 0 and a["height"] > 0, (name, first)
            for second, b in boxes[i + 1:]:
                assert not _intersect(a, b), f"{name} at {width} px: the numbers of {first} and {second} overlap"
        page.close()
    assert seen >= 15


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_core_finds_no_violation(site, browser, scheme):
    url, folder = site
    found = {}
    for name in pages_of(folder):
        page = open_page(browser, f"{url}/{name}", 1280, scheme)
        violations = axe_violations(page)
        if violations:
            found[name] = violations
        page.close()
    page = open_page(browser, f"{url}/03-hungary-ignites.html", 360, scheme)
    page.locator("button.noteref").first.click()  # an open note, on a phone
    if violations := axe_violations(page):
        found["open note"] = violations
    assert found == {}


def test_dark_mode_follows_the_readers_preference(site, browser):
    url, _ = site
    colours = {}
    for scheme in ("light", "dark"):
        page = open_page(browser, f"{url}/index.html", 1280, scheme)
        colours[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
        page.close()
    assert colours["light"] != colours["dark"]


def test_skip_link_and_visible_focus(site, browser):
    url, _ = site
    page = open_page(browser, f"{url}/03-hungary-ignites.html")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.evaluate("document.activeElement.getBoundingClientRect().top") >= 0  # shown when focused
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    style = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
                                     return [s.outlineStyle, s.outlineWidth]; }""")
    assert style[0] != "none" and style[1] != "0px"


def test_sharing_metadata_and_json_ld(site, browser):
    url, folder = site
    html = (folder / "index.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    config = tomllib.loads((ROOT / "manuscript" / "book.toml").read_text(encoding="utf-8"))
    assert data["@type"] == "Book" and data["name"] == config["title"] and data["author"]["name"] == config["author"]
    assert (folder / data["image"]).is_file()
    for prop in ("og:title", "og:description"):
        assert f'property="{prop}"' in html
    assert 'property="og:image"' not in html  # a relative og:image is ignored: only with [web] base_url
    page = open_page(browser, f"{url}/index.html")
    links = page.locator(".downloads a").all()
    assert len(links) == 3
    for link in links:  # the downloads are files of the site itself
        assert (folder / link.get_attribute("href")).is_file()
    page.close()


def test_no_script_from_the_manuscript_reaches_a_page(tmp_path):
    book = make_book(tmp_path, {"01.md": """\
        # One

        Text <script>alert(1)</script> and <img src="x.png" onerror="alert(2)"/> and
        <span onclick="alert(3)">a span</span>.

        <script>document.write('x')</script>
        """})
    result = run("build", str(book), "-f", "web")
    assert result.exit_code == 0, result.output
    for page in (book / "dist" / "web").glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*application/ld\+json)", html), page.name
        assert not re.search(r"\son\w+=", html) and "javascript:" not in html, page.name


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening(port: int) -> list[str]:
    """The local addresses listening on `port`, read from the kernel's tables (/proc/net/tcp, tcp6)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.append(address)
    return found


def test_preview_serves_on_loopback_and_the_open_page_follows_the_manuscript(tmp_path, browser):
    import signal
    import subprocess
    import sys
    import time
    import urllib.request

    book = tmp_path / "book"
    assert run("new", str(book)).exit_code == 0
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "publish", "preview", str(book), "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/web/index.html", timeout=2)
                break
            except OSError:
                assert time.monotonic() < deadline and process.poll() is None, "preview did not start"
                time.sleep(0.3)
        assert _listening(port) == ["0100007F"]  # 127.0.0.1, and no other interface
        chapter = next((book / "manuscript").glob("01-*.md"))
        part = f"{chapter.stem}.html"  # the chapter's page (the new book also has an "about" part)
        assert (book / "dist" / "web" / part).is_file()
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}/web/{part}")
        chapter.write_text(chapter.read_text(encoding="utf-8") + "\nA sentence added while the page was open.\n",
                           encoding="utf-8")
        page.wait_for_function("document.body.innerText.includes('added while the page was open')", timeout=30_000)
        chapter.write_text(chapter.read_text(encoding="utf-8") + "\nA note that does not exist.[^nowhere]\n",
                           encoding="utf-8")
        banner = page.get_by_role("alert")
        banner.wait_for(timeout=30_000)
        assert "[^nowhere]" in banner.inner_text() or "nowhere" in banner.inner_text()
        assert process.poll() is None  # the server keeps running
        assert urllib.request.urlopen(f"http://127.0.0.1:{port}/test-book.pdf".replace(
            "test-book", next((book / "dist").glob("*.epub")).stem)).status == 200
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    assert "Traceback" not in output, output
    assert "web edition rebuilt in" in output
