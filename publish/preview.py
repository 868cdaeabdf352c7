"""`publish preview`: rebuild on every change and draw a contact sheet of the PDF's pages.

Input: a book folder. Output: `dist/<slug>.pdf` and `.epub` rebuilt after each change to
`manuscript/` or `styles/` (watchfiles), and `dist/preview.png`: every page side by side, as
spreads, rendered with pypdfium2. Problems in the book are printed and the watch goes on.
"""

from __future__ import annotations

import time
from pathlib import Path

from .diagnostics import BookError

COLUMNS = 8
PAGE_HEIGHT_PX = 280


def contact_sheet(pdf: Path, out: Path) -> None:
    import pypdfium2
    from PIL import Image

    document = pypdfium2.PdfDocument(str(pdf))
    images = []
    for page in document:
        scale = PAGE_HEIGHT_PX / page.get_size()[1]
        images.append(page.render(scale=scale).to_pil().convert("RGB"))
    width, height = images[0].size
    gap = 12
    # Page 1 alone on the right, then spreads: left pages even, right pages odd.
    cells = [None] + images
    rows = (len(cells) + COLUMNS - 1) // COLUMNS
    sheet = Image.new("RGB", (COLUMNS * width + (COLUMNS // 2 + 1) * gap, rows * (height + gap) + gap),
                      (128, 128, 128))
    for index, image in enumerate(cells):
        if image is None:
            continue
        row, column = divmod(index, COLUMNS)
        x = gap + column * width + (column // 2) * gap
        sheet.paste(image, (x, gap + row * (height + gap)))
    tmp = out.with_suffix(".tmp.png")
    sheet.save(tmp)
    tmp.replace(out)


def rebuild(book_dir: Path, echo) -> None:
    from .build import build

    started = time.perf_counter()
    try:
        result = build(book_dir, formats=("pdf", "epub"))
    except BookError as e:
        for diagnostic in e.diagnostics:
            echo(str(diagnostic))
        echo("the book has errors: waiting for the next change")
        return
    pdf = next(o.path for o in result.outputs if o.kind == "pdf")
    sheet = pdf.parent / "preview.png"
    contact_sheet(pdf, sheet)
    for warning in result.warnings:
        echo(str(warning))
    echo(f"rebuilt in {time.perf_counter() - started:.1f} s: {pdf.name} ({result.outputs[0].pages} pages), "
         f"{sheet}")


def watch(book_dir: Path, once: bool, echo) -> None:
    rebuild(book_dir, echo)
    if once:
        return
    from watchfiles import watch as watch_files

    paths = [p for p in (book_dir / "manuscript", book_dir / "styles") if p.is_dir()]
    echo(f"watching {', '.join(str(p) for p in paths)} (Ctrl-C to stop)")
    try:
        for changes in watch_files(*paths, debounce=300, raise_interrupt=True):
            names = sorted({Path(path).name for _, path in changes})
            echo(f"changed: {', '.join(names)}")
            rebuild(book_dir, echo)
    except KeyboardInterrupt:
        echo("stopped")
