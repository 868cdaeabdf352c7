"""The real browser and the tools the web edition's tests read it with.

Debian's chromium (no browser download: Playwright is pointed at /usr/bin/chromium), started as the
machine's probe starts it (no background networking: the network is closed); axe-core from npm
(tests/browser, installed by `./install-system-packages --test`), injected into each page; DAISY
Ace from npm (the same folder), run on EPUBs with the same Chromium; foliate-js (Foliate's reading
engine, the same folder), which opens EPUBs in that Chromium; a
static server on loopback for a built folder. Screenshots go to `test-artifacts/` (or
$PUBLISH_TEST_ARTIFACTS).
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("PUBLISH_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
ACE = ROOT / "tests" / "browser" / "node_modules" / ".bin" / "ace-cli"  # DAISY Ace, from npm
FOLIATE = ROOT / "tests" / "browser" / "node_modules" / "foliate-js"  # Foliate's reading engine, from npm
LIGHTHOUSE = ROOT / "tests" / "browser" / "node_modules" / ".bin" / "lighthouse"  # Google's page audit, from npm
ARTIFACTS = Path(os.environ.get("PUBLISH_TEST_ARTIFACTS", ROOT / "test-artifacts"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextmanager
def serve(folder: Path):
    """A static server of `folder` on 127.0.0.1 (a free port); yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium():
    """A headless Chromium browser (Playwright's sync API)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the page as it is now (WCAG 2.x A and AA rules, and best practices)."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    return page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                            nodes: v.nodes.slice(0, 3).map(n => n.html)}));
    }""")


def ace_violations(epub: Path, report_dir: Path) -> tuple[str, list[dict]]:
    """DAISY Ace's verdict on an EPUB and its violations (rule, impact, where)."""
    import json
    import subprocess

    env = dict(os.environ, PUPPETEER_EXECUTABLE_PATH=str(CHROMIUM))
    subprocess.run([str(ACE), "-f", "-o", str(report_dir), str(epub)], env=env, check=True, capture_output=True,
                   timeout=600)
    report = json.loads((report_dir / "report.json").read_text(encoding="utf-8"))
    violations = [{"rule": a.get("earl:test", {}).get("dct:title"), "impact": a.get("earl:test", {}).get("earl:impact"),
                   "where": item.get("earl:testSubject", {}).get("url")}
                  for item in report["assertions"] for a in item.get("assertions", [])]
    return report["earl:result"]["earl:outcome"], violations


def lighthouse(url: str, report: Path) -> dict:
    """Lighthouse's report on a page as a phone sees it (its default: a mid-range phone on a slow
    4G network, simulated), run in Debian's chromium with the network closed."""
    import json
    import subprocess

    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    subprocess.run([str(LIGHTHOUSE), url, f"--chrome-flags={flags}", "--output=json", f"--output-path={report}",
                    "--quiet", "--form-factor=mobile"], env=dict(os.environ, CHROME_PATH=str(CHROMIUM)),
                   check=True, capture_output=True, timeout=300)
    return json.loads(report.read_text(encoding="utf-8"))


def before_boxes(page, css_class: str) -> list[tuple[str, dict]]:
    """The boxes of the `::before` pseudo-elements of the elements of `css_class` (which scripts cannot
    measure), read through the DevTools protocol: (the element's id, {x, y, width, height})."""
    cdp = page.context.new_cdp_session(page)
    try:
        root = cdp.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]
        boxes = []
        stack = [root]
        while stack:
            node = stack.pop()
            attributes = dict(zip(node.get("attributes", [])[::2], node.get("attributes", [])[1::2], strict=True))
            if css_class in attributes.get("class", "").split():
                for pseudo in node.get("pseudoElements", []):
                    if pseudo.get("pseudoType") == "before":
                        quad = cdp.send("DOM.getBoxModel", {"nodeId": pseudo["nodeId"]})["model"]["border"]
                        xs, ys = quad[0::2], quad[1::2]
                        boxes.append((attributes.get("id", ""), {"x": min(xs), "y": min(ys), "width": max(xs) - min(xs),
                                                                 "height": max(ys) - min(ys)}))
            stack.extend(reversed(node.get("children", [])))
        return boxes
    finally:
        cdp.detach()
