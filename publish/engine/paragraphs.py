"""Lines broken by the paragraph, as TeX breaks them, instead of one at a time.

WeasyPrint fills each line as full as it can, then starts the next (a greedy breaker): where a long
word, a name (never hyphenated) or a number tied to its word does not fit, the line is left short
and justification stretches its spaces, sometimes to three or four times their width, while the
lines before it were set tight. TeX chooses all the breaks of a paragraph together (Knuth and
Plass, "Breaking paragraphs into lines", 1981) so that the spaces stretch evenly.

Input: nothing (installing changes WeasyPrint's line layout and line drawing for the process).
Output: every justified paragraph — the text's, the notes', any a style declares — set in the lines
a paragraph-wide choice gives it. How:

- A model of the paragraph (`Paragraph`): its text cut where WeasyPrint may break it (where Pango
  finds an opportunity in a box's own text — spaces, soft hyphens, dashes — and at a space between
  two boxes), each piece's width read from the glyph widths of one Pango layout per text box
  (WeasyPrint's own `create_layout`), plus what inline boxes add at their sides (a note call's
  margin), so a line's natural width and its spaces are sums.
- The breaks are chosen by least demerits, in TeX's passes: first without hyphenation, every line's
  badness within `PRETOLERANCE`; then with it, within `TOLERANCE`; else an emergency pass that takes
  any line but counts each one over 150 % and, far more, each over 200 % (check's P007 names those
  that remain: no arrangement of the paragraph avoids them). Badness 100·r³, r the spaces' stretch
  over `STRETCH` of their width (150 % is r = 1) or their shrink over `SHRINK` (75 %); demerits
  (`LINE_PENALTY` + badness)², a hyphen's penalty², `DOUBLE_HYPHEN_DEMERITS`,
  `FINAL_HYPHEN_DEMERITS`, `ADJ_DEMERITS` between lines of fitness classes more than one apart, never
  three hyphenated lines in a row; the last line is free.
- Font expansion, as pdfTeX's (microtype): a line whose spaces would come out wider than `COMFORT`
  (or narrower than `COMFORT_TIGHT`) has its glyphs widened (narrowed) by at most `EXPANSION`, 2 %;
  the chooser counts the spaces as they will be printed (`spacing`). The line is laid out to the
  measure over that scale and drawn scaled horizontally about its left edge.
- WeasyPrint still lays out every line itself: one rewrite (`get_next_linebox`, `max_x`) sets the
  width it may fill to the chosen line's (plus a hair), so its own breaker ends the line exactly
  there; another (`text_align`) lays a line out to the measure over its scale (`expand`) and lets a
  line planned wider than that be justified by narrowing its spaces, by at most `SHRINK`; a wrapper
  of `draw_inline_level` draws it scaled. Where WeasyPrint ends a line elsewhere than planned (a
  measure that differs), the rest of the paragraph is planned again from there.

Left to WeasyPrint's greedy breaker: text that is not justified, right-to-left text, lines beside
floats, and paragraphs holding anything but text (images, inline blocks, boxes whose sides are
relative lengths). `PUBLISH_LINE_BREAKER=greedy` in the environment leaves every paragraph to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import inf
from typing import Any

from . import patching, require_weasyprint
from .settings import current

MAX_X = "        max_x = position_x + available_width\n"
MAX_X_PLANNED = ("        max_x = _publish_line_end(\n"
                 "            context, linebox, skip_stack, position_x, available_width)\n")
STRETCH = 1 / 2  # of a space's width, what justification adds to a line of badness 100: spaces at 150 %
SHRINK = 1 / 4  # of a space's width, what justification may take away: spaces stay at 75 % or more
ALIGN = "    if line.width >= available_width:\n        return 0\n"
ALIGN_SHRINK = ("    available_width = _publish_expand(line, available_width, last)\n"
                "    if line.width >= available_width and not _publish_shrinks(line, available_width, last):\n"
                "        return 0\n")
EXPANSION = 0.02  # how much a line's glyphs may be widened or narrowed, as pdfTeX's font expansion (microtype: 2 %)
COMFORT = 1.25  # spaces wider than this (of the font's space) widen the line's glyphs instead, up to EXPANSION
COMFORT_TIGHT = 0.8  # spaces narrower than this narrow them
EXPANSION_DEMERITS = 1000  # a line set at the full EXPANSION costs this much (less: the square of its share)
# TeX's parameters (plain TeX and LaTeX): the badness a line may have in the pass without
# hyphenation and in the pass with it, the demerits of lines and breaks.
PRETOLERANCE = 100
TOLERANCE = 200
PASSES = ((False, PRETOLERANCE), (True, TOLERANCE), (True, inf))  # (hyphenate?, tolerance); the last: emergency
LOOSE_BADNESS = 100 * (1.0 / STRETCH) ** 3  # spaces stretched to over twice their width (check's P007)
LOOSE_DEMERITS = 1e10  # in the emergency pass, each loose line costs more than any arrangement of tight ones
OVER_DEMERITS = 1e7  # and each line over 150 %, more than any arrangement of the lines within it
LINE_PENALTY = 10
HYPHEN_PENALTY = 50
DOUBLE_HYPHEN_DEMERITS = 10000
FINAL_HYPHEN_DEMERITS = 5000
ADJ_DEMERITS = 10000
VERY_LOOSE, LOOSE_FIT, DECENT, TIGHT = 0, 1, 2, 3  # TeX's fitness classes
MAX_HYPHENS_IN_A_ROW = 2
SLACK = 0.25  # px added to a planned width: WeasyPrint's own sum may differ in the last bits



def install() -> None:
    """Break justified paragraphs as a whole (idempotent)."""
    require_weasyprint()
    patching.install(TEXT_WRAP_PRETTY)


def scaled_lines(draw_inline_level: Any) -> Any:
    """Lines set with their glyphs widened or narrowed (`expand`) are drawn scaled horizontally about
    their left edge (WeasyPrint draws every line through `draw_inline_level`)."""

    def draw(stream: Any, page: Any, box: Any, *args: Any, **kwargs: Any) -> Any:
        scale = getattr(box, "publish_scale", 1.0)
        if scale == 1.0:
            return draw_inline_level(stream, page, box, *args, **kwargs)
        with stream.stacked():
            stream.transform(a=scale, e=(1 - scale) * box.position_x)
            return draw_inline_level(stream, page, box, *args, **kwargs)

    draw.publish_original = draw_inline_level  # type: ignore[attr-defined]
    return draw


def expansion(natural: float, room: float, width: float) -> float:
    """The horizontal scale a justified line is set at: 1, unless its spaces (`room`: their natural
    width) would come out wider than `COMFORT` or narrower than `COMFORT_TIGHT` times their width;
    then its glyphs are widened or narrowed, by at most `EXPANSION`, to bring them there — pdfTeX's
    font expansion, which microtype applies to LaTeX's lines. The line is laid out at `width / scale`
    and drawn scaled, so its spaces, measured on the page, come out at
    `scale + (width - scale * natural) / room` times their width."""
    if room <= 0 or natural <= room:
        return 1.0
    ratio = 1 + (width - natural) / room
    if COMFORT_TIGHT <= ratio <= COMFORT:
        return 1.0
    target = COMFORT if ratio > COMFORT else COMFORT_TIGHT
    scale = (width - target * room) / (natural - room)
    return min(1 + EXPANSION, max(1 - EXPANSION, scale))


def spacing(natural: float, room: float, width: float) -> tuple[float, float]:
    """(scale, the spaces over their natural width, as on the page) of a justified line."""
    scale = expansion(natural, room, width)
    return scale, scale + (width - scale * natural) / room


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
        self.hyphens = any(piece.hyphen for piece in self.pieces)
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


def greedy() -> bool:
    """Whether the layout's settings ask for WeasyPrint's own breaker (`EngineSettings.line_breaker`,
    PUBLISH_LINE_BREAKER=greedy): to compare, or to rule this one out when a layout looks wrong."""
    return current().settings.line_breaker == "greedy"


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
        _plan(paragraph, index, first_width, available_width)
        planned = paragraph.plans.get((index, round(first_width, 3)))
    if planned is None:
        return full
    _, width, last = planned
    return full if last or width is inf else position_x + indent + width + SLACK


def expand(line: Any, available_width: float, last: bool) -> float:
    """The width a justified line is laid out to: the measure, or, where its glyphs are widened or
    narrowed (`expansion`), the measure over that scale, which `line.publish_scale` keeps for drawing."""
    from weasyprint.layout.inline import count_expandable_spaces

    if last or not _justified(line) or greedy():
        return available_width
    scale = expansion(line.width, count_expandable_spaces(line) * _line_space(line), available_width)
    if scale == 1.0:
        return available_width
    line.publish_scale = scale
    return float(available_width / scale)


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


def _plan(paragraph: Paragraph, index: int, first_width: float, width: float) -> None:
    """Plan the lines from piece `index` by least demerits; where no line can be set without
    overflowing, WeasyPrint's own breaks are kept."""
    breaks = _best(paragraph, index, first_width, width)
    if breaks is None:  # keep WeasyPrint's own breaks
        for a, _ in _greedy(paragraph, index, first_width, width):
            key = (a, round(first_width if a == index else width, 3))
            paragraph.plans[key] = (a, inf, False)
        return
    a = index
    for b in breaks:
        line_width = first_width if a == index else width
        natural, _ = paragraph.natural(a, b)
        paragraph.plans[(a, round(line_width, 3))] = (b, natural, b == len(paragraph.pieces))
        a = b


def _greedy(paragraph: Paragraph, index: int, first_width: float, width: float) -> list[tuple[int, int]]:
    """(first piece, end) of each line WeasyPrint's own breaker would make."""
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
        found.append((a, end))
        a = end
    return found


def _best(paragraph: Paragraph, index: int, first_width: float, width: float) -> list[int] | None:
    """The line ends (piece indexes, exclusive) from `index` with the least total demerits, in TeX's
    passes: without hyphenation where every line's badness can stay within `PRETOLERANCE`, else
    with it within `TOLERANCE`, else any line (the emergency pass, where each loose line costs
    `LOOSE_DEMERITS`). None when no line can be set without overflowing."""
    for hyphenate, tolerance in PASSES:
        if not hyphenate and not paragraph.hyphens:
            continue  # the first pass is the second's, where no word may be broken
        breaks = _choose(paragraph, index, first_width, width, hyphenate, tolerance)
        if breaks is not None:
            return breaks
    return None


def _rate(natural: float, room: float, width: float, last: bool, alone: bool) -> tuple[float, int, float] | None:
    """(badness, fitness class, scale) of a line of `natural` width whose spaces are `room` wide, set
    to `width`; None when it cannot be set that narrow — but a single piece wider than the line
    (`alone`) may overflow, at a badness taken only where nothing else can be."""
    if last:  # not justified, so never narrowed; TeX's \parfillskip makes it free
        return (0.0, DECENT, 1.0) if natural <= width + SLACK else None
    if not room:  # no space to stretch or narrow
        if natural > width + SLACK:
            return (1e12, TIGHT, 1.0) if alone else None
        return (inf, VERY_LOOSE, 1.0) if width - natural > 0.5 else (0.0, DECENT, 1.0)
    scale, ratio = spacing(natural, room, width)
    if ratio < 1 - SHRINK - SLACK / room:  # narrower than its spaces may be set: overfull
        return (1e12, TIGHT, scale) if alone else None
    if ratio < 1:  # narrowed: TeX's shrink
        badness = 100 * ((1 - ratio) / SHRINK) ** 3
        return badness, TIGHT if badness > 12 else DECENT, scale
    badness = 100 * ((ratio - 1) / STRETCH) ** 3
    return badness, VERY_LOOSE if badness > 99 else LOOSE_FIT if badness > 12 else DECENT, scale


def _choose(paragraph: Paragraph, index: int, first_width: float, width: float, hyphenate: bool,
            tolerance: float) -> list[int] | None:
    """Knuth and Plass's choice over the paragraph's break opportunities: a line's badness is 100·r³
    (r: its stretch over `STRETCH` of its spaces, or its shrink over `SHRINK`), its demerits
    (`LINE_PENALTY` + badness)² plus the break's penalty², plus `DOUBLE_HYPHEN_DEMERITS` after a
    hyphenated line, `FINAL_HYPHEN_DEMERITS` when the line before the last is, and `ADJ_DEMERITS`
    when its tightness differs by more than a class from the line before (TeX's fitness classes).
    Never more than `MAX_HYPHENS_IN_A_ROW` hyphenated lines follow each other; the last line is free."""
    pieces = paragraph.pieces
    count = len(pieces)
    widths, stretchable = paragraph.widths, paragraph.spaces
    space = paragraph.space
    emergency = tolerance == inf
    # best[(a, hyphenated lines in a row ending at a, fitness of the line ending at a)] = (demerits, previous state)
    State = tuple[int, int, int]
    best: dict[State, tuple[float, State | None]] = {(index, 0, DECENT): (0.0, None)}
    at: dict[int, list[State]] = {index: [(index, 0, DECENT)]}
    for a in range(index, count):
        states = at.pop(a, None)
        if not states:
            continue
        line_width = first_width if a == index else width
        for b in range(a + 1, count + 1):
            piece = pieces[b - 1]
            natural = widths[b - 1] - widths[a] + piece.width + piece.hyphen
            spaces = stretchable[b] - stretchable[a] - piece.trailing
            last = b == count
            rated = _rate(natural, spaces * space, line_width, last, b == a + 1)
            if rated is None:  # wider than it can be set: so is every longer line from `a`
                if b > a + 1:
                    break
                continue
            badness, fitness, scale = rated
            if not last and not piece.breakable:
                continue
            hyphenated = piece.hyphen > 0 and not last
            if hyphenated and not hyphenate:
                continue
            if badness > tolerance:
                continue
            demerits = (LINE_PENALTY + min(badness, 1e6)) ** 2
            if scale != 1.0:
                demerits += EXPANSION_DEMERITS * ((scale - 1) / EXPANSION) ** 2
            if emergency and badness > PRETOLERANCE:  # lines beyond 150 %, then beyond 200 %, as few as can be
                demerits += OVER_DEMERITS + (LOOSE_DEMERITS if badness > LOOSE_BADNESS else 0)
            if hyphenated:
                demerits += HYPHEN_PENALTY ** 2
            for before in states:
                run = before[1] + 1 if hyphenated else 0
                if run > MAX_HYPHENS_IN_A_ROW:
                    continue
                total = best[before][0] + demerits
                if hyphenated and before[1]:
                    total += DOUBLE_HYPHEN_DEMERITS
                if last and before[1]:
                    total += FINAL_HYPHEN_DEMERITS
                if abs(fitness - before[2]) > 1:
                    total += ADJ_DEMERITS
                key = (b, run, fitness)
                known = best.get(key)
                if known is None:
                    at.setdefault(b, []).append(key)
                if known is None or total < known[0]:
                    best[key] = (total, before)
    ends = [end for end in best if end[0] == count]
    if not ends:
        return None
    state: State | None = min(ends, key=lambda end: best[end][0])
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
    cache = current().paragraphs
    found = cache.get(id(linebox))
    if found is not None and found[0] is linebox:
        known: tuple[Paragraph, dict[int, tuple[int, Any]]] | None = found[1]
        return known
    texts: list[tuple[int, Any]] = []
    boxes_at: dict[int, tuple[int, Any]] = {}
    sides: list[tuple[int, float, bool]] = []
    model = None
    if _collect(linebox, texts, boxes_at, [0], sides):
        text = "".join(box.text for _, box in texts)
        key = (id(linebox.element), linebox.element_tag, text)
        if key not in cache:
            cache[key] = _model(context, text, texts, sides)
        model = cache[key]
    result = (model, boxes_at) if model is not None else None
    cache[id(linebox)] = (linebox, result)
    return result


def _collect(box: Any, texts: list[tuple[int, Any]], boxes_at: dict[int, tuple[int, Any]],
             position: list[int], sides: list[tuple[int, float, bool]]) -> bool:
    """The text boxes of an inline formatting context in order, with where each box starts, and the
    widths inline boxes add at their sides (margin, border, padding: at the character where the
    box begins, and where it ends); False if it holds anything the model cannot measure."""
    from weasyprint.formatting_structure import boxes

    boxes_at[id(box)] = (position[0], box)
    if isinstance(box, boxes.TextBox):
        texts.append((position[0], box))
        position[0] += len(box.text)
        return True
    if isinstance(box, boxes.LineBox) or type(box) is boxes.InlineBox:
        widths = _sides(box) if isinstance(box, boxes.InlineBox) else (0.0, 0.0)
        if widths is None:
            return False
        if widths[0]:
            sides.append((position[0], widths[0], False))
        inside = all(_collect(child, texts, boxes_at, position, sides) for child in box.children
                     if child.is_in_normal_flow())
        if widths[1]:
            sides.append((position[0], widths[1], True))
        return inside
    return False


def _sides(box: Any) -> tuple[float, float] | None:
    """What an inline box adds on its left and on its right (px); None when a width is relative."""
    found = []
    for side in ("left", "right"):
        total = float(box.style[f"border_{side}_width"] or 0)
        for name in (f"margin_{side}", f"padding_{side}"):
            value = box.style[name]
            if value == "auto":
                continue
            if getattr(value, "unit", "px") != "px":
                return None
            total += float(getattr(value, "value", value))
        found.append(total)
    return found[0], found[1]


def _model(context: Any, text: str, texts: list[tuple[int, Any]],
           sides: list[tuple[int, float, bool]]) -> Paragraph | None:
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
    for at, width, closing in sides:  # a box's left side goes with the text it opens, its right with what it closes
        for boundary in range(at if closing else at + 1, len(xs)):
            xs[boundary] += width
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

    cache = current().advances
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

    cache = current().widths
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


TEXT_WRAP_PRETTY = patching.Feature(
    "text-wrap-pretty", "text-wrap-style: pretty for justified text — a paragraph's breaks chosen together "
    "(Knuth and Plass), at most two hyphenated lines in a row (hyphenate-limit-lines: 2), glyphs widened "
    "or narrowed by at most 2 % (font expansion)", __name__,
    (patching.Rewrite("paragraph-breaks", "layout.inline", "get_next_linebox", MAX_X, MAX_X_PLANNED,
                      {"_publish_line_end": line_end}),
     patching.Rewrite("justify-shrinks", "layout.inline", "text_align", ALIGN, ALIGN_SHRINK,
                      {"_publish_shrinks": shrinks, "_publish_expand": expand}),
     patching.Wrap("draw", "draw_inline_level", "_publish_scaled_lines", scaled_lines),
     patching.Anchor("draw", "                    draw_inline_level(stream, page, child)\n",
                     "draw_block_level draws every line box through draw_inline_level"),
     patching.Anchor("text.ffi", "        PangoGlyph         glyph;\n        PangoGlyphGeometry geometry;\n",
                     "_advances reads glyph widths from PangoGlyphInfo's memory: the glyph, then its geometry"),
     patching.Anchor("text.ffi", "        PangoGlyphUnit width;\n        PangoGlyphUnit x_offset;\n",
                     "_advances reads a glyph's width first in PangoGlyphGeometry")))
