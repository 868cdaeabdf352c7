"""Lines broken by the paragraph, as TeX breaks them, instead of one at a time.

WeasyPrint fills each line as full as it can, then starts the next (a greedy breaker): where a long
word, a name (never hyphenated) or a number tied to its word does not fit, the line is left short
and justification stretches its spaces, sometimes to three or four times their width, while the
lines before it were set tight. TeX chooses all the breaks of a paragraph together (Knuth and
Plass, "Breaking paragraphs into lines", 1981) so that the spaces stretch evenly.

Input: nothing (installing changes WeasyPrint's line layout for the process). Output: for a justified
paragraph whose greedy lines would leave a loose one, or three hyphenated in a row, every line ends
where the paragraph-wide choice puts it. How:

- A model of the paragraph (`Paragraph`): its text cut where WeasyPrint may break it (where Pango
  finds an opportunity in a box's own text — spaces, soft hyphens, dashes — and at a space between
  two boxes), each piece's width read from the glyph widths of one Pango layout per text box
  (WeasyPrint's own `create_layout`), so a line's natural width and its spaces are sums.
- The greedy lines are simulated on the model; when one of them would stretch its spaces by more
  than their width (`LOOSE`; check's P007 is at 1.08) or three hyphenated lines would follow, the
  breaks are chosen again by least demerits, TeX's way: badness 100·r³ (r: the stretch over the
  spaces' width, or the shrink over what they may give up), line penalty 10, 50 for a hyphen, 3,000
  more for two in a row, never three, `LOOSE_DEMERITS` for each loose line; the last line is free.
- WeasyPrint still lays out every line itself: one rewrite (`get_next_linebox`, `max_x`) sets the
  width it may fill to the chosen line's (plus a hair), so its own breaker ends the line exactly
  there; another (`text_align`) lets a line planned wider than the measure be justified by
  narrowing its spaces, by at most `SHRINK`. Where WeasyPrint ends a line elsewhere than planned (a
  measure that differs), the rest of the paragraph is planned again from there.

Left to WeasyPrint's greedy breaker: text that is not justified, right-to-left text, lines beside
floats, and paragraphs holding anything but text (images, inline blocks, boxes with side padding,
borders or margins). `PUBLISH_LINE_BREAKER=greedy` in the environment leaves every paragraph to it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from math import inf
from typing import Any

from . import lines, require_weasyprint

MAX_X = "        max_x = position_x + available_width\n"
MAX_X_PLANNED = ("        max_x = _publish_line_end(\n"
                 "            context, linebox, skip_stack, position_x, available_width)\n")
SHRINK = 1 / 4  # of a space's width, what justification may take away: spaces stay at 75 % or more
ALIGN = "    if line.width >= available_width:\n        return 0\n"
ALIGN_SHRINK = ("    if line.width >= available_width and not _publish_shrinks(line, available_width, last):\n"
                "        return 0\n")
LOOSE = 1.0  # a line whose spaces stretch by more than their width is loose (check's P007: 1.08)
LOOSE_DEMERITS = 1e8  # each loose line costs more than any arrangement of tight ones
LINE_PENALTY = 10
HYPHEN_PENALTY = 50
DOUBLE_HYPHEN = 3000
MAX_HYPHENS_IN_A_ROW = 2
SLACK = 0.25  # px added to a planned width: WeasyPrint's own sum may differ in the last bits

_installed = False


def install() -> None:
    """Break justified paragraphs as a whole (idempotent)."""
    global _installed
    if _installed:
        return
    require_weasyprint()
    lines.rewrite("paragraph-breaks", MAX_X, MAX_X_PLANNED, {"_publish_line_end": line_end},
                  "get_next_linebox", "layout.inline")
    lines.rewrite("justify-shrinks", ALIGN, ALIGN_SHRINK, {"_publish_shrinks": shrinks}, "text_align",
                  "layout.inline")
    _installed = True


@dataclass
class Piece:
    """Text between two break opportunities: `width` without its trailing spaces, `space` theirs."""

    start: int
    width: float
    space: float
    stretchable: int  # its spaces (ordinary and no-break) that justification widens
    trailing: int  # of which at its end
    hyphen: float  # the width of the hyphen a break after it adds (a soft hyphen), else 0
    breakable: bool  # whether a line may end after it


@dataclass
class Paragraph:
    text: str
    pieces: list[Piece]
    starts: dict[int, int]  # a piece's first character → its index
    plans: dict[tuple[int, float], tuple[int, float, bool]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.space = next((piece.space / piece.trailing for piece in self.pieces if piece.trailing), 0.0)
        self.widths = [0.0]
        self.spaces = [0]
        for piece in self.pieces:
            self.widths.append(self.widths[-1] + piece.width + piece.space)
            self.spaces.append(self.spaces[-1] + piece.stretchable)

    def natural(self, a: int, b: int) -> tuple[float, int]:
        """The natural width and the stretchable spaces of a line of pieces a … b-1."""
        last = self.pieces[b - 1]
        width = self.widths[b - 1] - self.widths[a] + last.width + last.hyphen
        return width, self.spaces[b] - self.spaces[a] - last.trailing

    def stretch(self, natural: float, spaces: int, width: float) -> float:
        """How much a line's spaces widen to fill `width` (the extra over their width), or narrow
        (negative: the part of the `SHRINK` they may give up); -inf when it cannot be set there."""
        if natural > width + SLACK:
            room = spaces * self.space * SHRINK
            return -(natural - width) / room if room and natural - width <= room + SLACK else -inf
        if spaces == 0 or not self.space:
            return inf if width - natural > 0.5 else 0.0
        return (width - natural) / (spaces * self.space)


def greedy() -> bool:
    """Whether the environment asks for WeasyPrint's own breaker (PUBLISH_LINE_BREAKER=greedy): to
    compare, or to rule this one out when a layout looks wrong."""
    return os.environ.get("PUBLISH_LINE_BREAKER", "paragraph") == "greedy"


def line_end(context: Any, linebox: Any, skip_stack: Any, position_x: float, available_width: float) -> float:
    """The right edge WeasyPrint may fill on this line: the planned line's width, else all of it."""
    full = position_x + available_width
    if context.excluded_shapes or not _justified(linebox) or greedy():
        return full
    found = _paragraph(context, linebox)
    if found is None:
        return full
    paragraph, boxes_at = found
    start = _position(paragraph.text, boxes_at, linebox, skip_stack)
    index = paragraph.starts.get(start) if start is not None else None
    if index is None:
        return full
    indent = float(linebox.text_indent or 0)
    first_width = available_width - indent
    planned = paragraph.plans.get((index, round(first_width, 3)))
    if planned is None:
        _plan(paragraph, index, first_width, available_width, context)
        planned = paragraph.plans.get((index, round(first_width, 3)))
    if planned is None:
        return full
    _, width, last = planned
    return full if last or width is inf else position_x + indent + width + SLACK


def shrinks(line: Any, available_width: float, last: bool) -> bool:
    """Whether a justified line wider than its measure is set by narrowing its spaces (to at most
    `SHRINK` less), as a line planned tight is: WeasyPrint only ever widens them."""
    from weasyprint.layout.inline import count_expandable_spaces

    if last or not _justified(line) or greedy():
        return False
    spaces = count_expandable_spaces(line)
    space = _line_space(line)
    return bool(spaces and space and line.width - available_width <= spaces * space * SHRINK + SLACK)


def _line_space(line: Any) -> float:
    from weasyprint.formatting_structure import boxes

    for box in line.descendants():
        if isinstance(box, boxes.TextBox) and " " in box.text:
            return _space(box.style)
    return 0.0


def _space(style: Any) -> float:
    from weasyprint.text.line_break import create_layout, line_size

    key = _font_key(style)
    found = _SPACES.get(key)
    if found is None:
        layout = create_layout("a a", style, None, None, 0)
        with_space = line_size(layout.get_first_line()[0], style)[0]
        layout = create_layout("aa", style, None, None, 0)
        found = _SPACES[key] = float(with_space - line_size(layout.get_first_line()[0], style)[0])
    return found


_SPACES: dict[tuple[Any, ...], float] = {}


def _justified(linebox: Any) -> bool:
    style = linebox.style
    return bool(style["text_align_all"] == "justify" and style["white_space"] == "normal"
                and style["direction"] == "ltr")


def _plan(paragraph: Paragraph, index: int, first_width: float, width: float, context: Any) -> None:
    """Plan the lines from piece `index`: the greedy ones if none is loose, else TeX's choice."""
    greedy = _greedy(paragraph, index, first_width, width)
    loose = any(stretch > LOOSE for _, _, stretch, last in greedy if not last)
    hyphens, run = 0, 0
    for _, end, _, last in greedy:
        run = run + 1 if not last and paragraph.pieces[end - 1].hyphen else 0
        hyphens = max(hyphens, run)
    breaks = _best(paragraph, index, first_width, width) if loose or hyphens > MAX_HYPHENS_IN_A_ROW else None
    if breaks is None:  # keep WeasyPrint's own breaks
        for a, _, _, _ in greedy:
            key = (a, round(first_width if a == index else width, 3))
            paragraph.plans[key] = (a, inf, False)
        return
    a = index
    for b in breaks:
        line_width = first_width if a == index else width
        natural, _ = paragraph.natural(a, b)
        paragraph.plans[(a, round(line_width, 3))] = (b, natural, b == len(paragraph.pieces))
        a = b


def _greedy(paragraph: Paragraph, index: int, first_width: float,
            width: float) -> list[tuple[int, int, float, bool]]:
    """(first piece, end, stretch, last?) of each line WeasyPrint's breaker would make."""
    found = []
    a, count = index, len(paragraph.pieces)
    while a < count:
        line_width = first_width if a == index else width
        b = a + 1
        end = a + 1
        while b <= count:
            natural, _ = paragraph.natural(a, b)
            if natural > line_width + SLACK:
                break
            if paragraph.pieces[b - 1].breakable or b == count:
                end = b
            b += 1
        natural, spaces = paragraph.natural(a, end)
        found.append((a, end, paragraph.stretch(natural, spaces, line_width), end == count))
        a = end
    return found


def _best(paragraph: Paragraph, index: int, first_width: float, width: float) -> list[int] | None:
    """The line ends (piece indexes, exclusive) from `index` with the least total demerits, or None
    when no line can be set without overflowing."""
    pieces, count = paragraph.pieces, len(paragraph.pieces)
    # best[(a, hyphenated lines in a row ending at a)] = (demerits, previous state)
    best: dict[tuple[int, int], tuple[float, tuple[int, int] | None]] = {(index, 0): (0.0, None)}
    for a in range(index, count):
        runs = [(run, best[(a, run)][0]) for run in range(MAX_HYPHENS_IN_A_ROW + 1) if (a, run) in best]
        if not runs:
            continue
        line_width = first_width if a == index else width
        for b in range(a + 1, count + 1):
            piece = pieces[b - 1]
            natural, spaces = paragraph.natural(a, b)
            stretch = paragraph.stretch(natural, spaces, line_width)
            last = b == count
            if stretch == -inf:
                if b > a + 1:
                    break
                demerits = 1e12  # a single piece wider than the line: only if nothing else
            elif last:
                if natural > line_width + SLACK:
                    continue  # a last line is not justified: it cannot be narrowed
                demerits = float(LINE_PENALTY ** 2)
            elif not piece.breakable:
                continue
            else:
                # Not capped, as TeX caps it: a very loose line is never the way out.
                demerits = (LINE_PENALTY + 100 * abs(stretch) ** 3) ** 2 + (LOOSE_DEMERITS if stretch > LOOSE else 0)
            hyphenated = piece.hyphen > 0 and not last
            for run, total in runs:
                next_run = run + 1 if hyphenated else 0
                if next_run > MAX_HYPHENS_IN_A_ROW:
                    continue
                extra = HYPHEN_PENALTY ** 2 + (DOUBLE_HYPHEN if run else 0) if hyphenated else 0
                key, candidate = (b, next_run), total + demerits + extra
                if key not in best or candidate < best[key][0]:
                    best[key] = (candidate, (a, run))
    ends = [state for state in best if state[0] == count]
    if not ends:
        return None
    state: tuple[int, int] | None = min(ends, key=lambda s: best[s][0])
    breaks = []
    while state is not None and state[0] != index:
        breaks.append(state[0])
        state = best[state][1]
    return breaks[::-1]


# The model ------------------------------------------------------------------------------------

def _paragraph(context: Any, linebox: Any) -> tuple[Paragraph, dict[int, tuple[int, Any]]] | None:
    """The model of a paragraph's inline content and where each of its boxes starts in the model's
    text; None when the content is not all text. A copy of a paragraph laid out before (notes are
    measured many times) shares its model and plans."""
    cache = context.__dict__.setdefault("publish_paragraphs", {})
    found = cache.get(id(linebox))
    if found is not None and found[0] is linebox:
        known: tuple[Paragraph, dict[int, tuple[int, Any]]] | None = found[1]
        return known
    texts: list[tuple[int, Any]] = []
    boxes_at: dict[int, tuple[int, Any]] = {}
    model = None
    if _collect(linebox, texts, boxes_at, [0]):
        text = "".join(box.text for _, box in texts)
        key = (id(linebox.element), linebox.element_tag, text)
        if key not in cache:
            cache[key] = _model(context, text, texts)
        model = cache[key]
    result = (model, boxes_at) if model is not None else None
    cache[id(linebox)] = (linebox, result)
    return result


def _collect(box: Any, texts: list[tuple[int, Any]], boxes_at: dict[int, tuple[int, Any]],
             position: list[int]) -> bool:
    """The text boxes of an inline formatting context in order, with where each box starts; False
    if it holds anything the model cannot measure."""
    from weasyprint.formatting_structure import boxes

    boxes_at[id(box)] = (position[0], box)
    if isinstance(box, boxes.TextBox):
        texts.append((position[0], box))
        position[0] += len(box.text)
        return True
    if isinstance(box, boxes.LineBox) or type(box) is boxes.InlineBox:
        if isinstance(box, boxes.InlineBox) and not all(
                _zero(box.style[side]) for side in ("margin_left", "margin_right", "padding_left",
                                                    "padding_right", "border_left_width", "border_right_width")):
            return False
        return all(_collect(child, texts, boxes_at, position) for child in box.children
                   if child.is_in_normal_flow())
    return False


def _zero(value: Any) -> bool:
    return getattr(value, "value", value) in (0, "auto")


def _model(context: Any, text: str, texts: list[tuple[int, Any]]) -> Paragraph | None:
    from weasyprint.text.line_break import get_log_attrs

    if not text.strip():
        return None
    # Where WeasyPrint may break: inside a box where Pango says so in the box's own text; between
    # two boxes only at a space (a note call or a name glued to the word before it stays there).
    opportunities: set[int] = set()
    for start, box in texts:
        attrs = get_log_attrs(box.text, box.style["lang"] or "")
        opportunities.update(start + i for i in range(1, len(box.text)) if attrs[i].is_line_break)
        if 0 < start < len(text) and text[start - 1] == " ":
            opportunities.add(start)
    xs = [0.0] * (len(text) + 1)  # x of every character boundary of the paragraph set on one line
    for start, box in texts:
        advances = _advances(context, box)
        base = xs[start]
        xs[start:start + len(advances)] = [base + x for x in advances]
    pieces: list[Piece] = []
    starts: dict[int, int] = {}
    edges = [0, *sorted(opportunities), len(text)]
    for a, b in zip(edges, edges[1:], strict=False):
        if a == b:
            continue
        word_end = b
        while word_end > a and text[word_end - 1] == " ":
            word_end -= 1
        piece_text = text[a:word_end]
        width = xs[word_end] - xs[a]
        space = xs[b] - xs[word_end]
        hyphen = 0.0
        if piece_text.endswith("\xad"):
            box = _box_at(texts, word_end - 1)
            hyphen = _measure(context, box.style["hyphenate_character"], box.style)
        stretchable = text.count(" ", a, b) + text.count("\xa0", a, b)
        starts[a] = len(pieces)
        pieces.append(Piece(a, width, space, stretchable, b - word_end, hyphen, b != len(text)))
    return Paragraph(text, pieces, starts)


def _box_at(texts: list[tuple[int, Any]], index: int) -> Any:
    found = texts[0][1]
    for start, box in texts:
        if start > index:
            break
        found = box
    return found


FONT_KEYS = ("font_family", "font_size", "font_weight", "font_style", "font_stretch", "font_variant_caps",
             "font_variant_numeric", "font_variant_position", "font_variant_ligatures", "font_feature_settings",
             "font_kerning", "font_variation_settings", "letter_spacing", "word_spacing", "lang")


def _font_key(style: Any) -> tuple[Any, ...]:
    found = _FONT_KEYS.get(id(style))
    if found is None or found[0] is not style:
        if len(_FONT_KEYS) > 20000:  # styles of earlier builds in a long-lived process
            _FONT_KEYS.clear()
        key = (id(getattr(style, "font_config", None)), *(repr(style[name]) for name in FONT_KEYS))
        found = _FONT_KEYS[id(style)] = (style, key)
    return found[1]


_FONT_KEYS: dict[int, tuple[Any, tuple[Any, ...]]] = {}


def _advances(context: Any, box: Any) -> list[float]:
    """x of every character boundary of a text box's text, set on one line by Pango in its style:
    the glyph widths of the line's runs, added up cluster by cluster (a ligature's characters all
    take its start)."""
    from weasyprint.text.ffi import FROM_UNITS, ffi
    from weasyprint.text.line_break import create_layout, line_size

    cache = context.__dict__.setdefault("publish_advances", {})
    key = (box.text, _font_key(box.style))
    xs: list[float] | None = cache.get(key)
    if xs is None:
        layout = create_layout(box.text, box.style, context, None, 0)
        first_line, _ = layout.get_first_line()
        at_byte: dict[int, float] = {}
        x = 0.0
        run = first_line.runs
        stride = ffi.sizeof("PangoGlyphInfo") // 4  # PangoGlyphInfo: glyph, then geometry's width
        if ffi.offsetof("PangoGlyphInfo", "geometry") != 4 or ffi.offsetof("PangoGlyphGeometry", "width"):
            raise RuntimeError("WeasyPrint's PangoGlyphInfo changed: re-check publish/engine/paragraphs.py")
        while run:
            item, glyphs = run.data.item, run.data.glyphs
            count = glyphs.num_glyphs
            clusters = ffi.unpack(glyphs.log_clusters, count)
            widths = memoryview(ffi.buffer(glyphs.glyphs, count * stride * 4)).cast("i")[1::stride]
            for cluster, glyph_width in zip(clusters, widths, strict=True):
                at_byte.setdefault(item.offset + cluster, x)
                x += glyph_width * FROM_UNITS
            run = run.next
        xs, offset, last = [], 0, 0.0
        for character in box.text:
            last = at_byte.get(offset, last)
            xs.append(last)
            offset += len(character.encode())
        xs.append(float(line_size(first_line, box.style)[0]))
        cache[key] = xs
    return xs


def _measure(context: Any, text: str, style: Any) -> float:
    from weasyprint.text.line_break import create_layout, line_size

    cache = context.__dict__.setdefault("publish_widths", {})
    key = (text, _font_key(style))
    width = cache.get(key)
    if width is None:
        layout = create_layout(text, style, context, None, 0)
        first_line, _ = layout.get_first_line()
        width = cache[key] = float(line_size(first_line, style)[0])
    return float(width)


def _position(text: str, boxes_at: dict[int, tuple[int, Any]], linebox: Any, skip_stack: Any) -> int | None:
    """The character of the paragraph where WeasyPrint starts this line (after any spaces)."""
    from weasyprint.formatting_structure import boxes

    index: int | None = 0
    if skip_stack is not None:
        box, stack = linebox, skip_stack
        index = None
        while stack:
            ((child, rest),) = stack.items()
            if isinstance(box, boxes.TextBox):
                start = boxes_at.get(id(box), (None, None))[0]
                if start is None:
                    return None
                index = start + len(box.text.encode()[:child].decode(errors="ignore"))
                break
            box = box.children[child]
            stack = rest
        if index is None:
            found = boxes_at.get(id(box))
            if found is None:
                return None
            index = found[0]
    assert index is not None
    while index < len(text) and text[index] == " ":
        index += 1
    return index
