"""Lay the printed documents out on A4 through Qt's own printing: a PDF file or a printer.

The words and numbers come from `storage.reports` (plain values); this module only sets them
in type. Results, feedback and blank sheets are HTML in a QTextDocument, cut into pages under a
header (the event's name, the document's title) and above a footer (page x of y);
certificates are painted one a landscape page. `write_pdf` writes a file whole or not at all
(docs/protocol.md section 10).
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextDocument,
)

from desktop.i18n import QT_TRANSLATE_NOOP, round_name, translate
from storage import reports
from storage.scoring import Row
from storage.state import State

# Layout units are those of a 96 dpi device, so the style sheet's px mean 1/96 inch on paper.
DPI = 96
MARGINS_MM = QMarginsF(18, 14, 18, 14)
FONT = "DejaVu Sans"
INK, MUTED, RULE, FILL = "#111827", "#4b5563", "#9ca3af", "#f3f4f6"
TITLES = {
    "results": QT_TRANSLATE_NOOP("print", "Results"),
    "feedback": QT_TRANSLATE_NOOP("print", "Feedback"),
    "certificates": QT_TRANSLATE_NOOP("print", "Certificates"),
    "sheets": QT_TRANSLATE_NOOP("print", "Scoring sheets"),
}
PLACES = {
    1: QT_TRANSLATE_NOOP("print", "First place"),
    2: QT_TRANSLATE_NOOP("print", "Second place"),
    3: QT_TRANSLATE_NOOP("print", "Third place"),
}
CSS = f"""
body {{ color: {INK}; font-family: '{FONT}'; font-size: 10pt; }}
h1 {{ font-size: 18pt; font-weight: 600; margin: 0 0 4px 0; }}
h2 {{ font-size: 13pt; font-weight: 600; margin: 14px 0 4px 0; }}
p {{ margin: 2px 0 6px 0; }}
.note {{ color: {MUTED}; font-size: 9pt; }}
.lead {{ color: {MUTED}; font-size: 10.5pt; }}
table {{ border-collapse: collapse; border-color: {RULE}; }}
th {{ background: {FILL}; font-weight: 600; text-align: left; }}
td.num, th.num {{ text-align: right; }}
td.caption {{ font-size: 13pt; font-weight: 600; padding-top: 8px; }}
span.where {{ color: {MUTED}; font-weight: 400; }}
td.sign {{ color: {MUTED}; font-size: 9pt; padding-top: 14px; }}
"""

NORMALISED = QT_TRANSLATE_NOOP(
    "print",
    "Ranked by normalised totals: each judge's sheet scores are mapped onto the mean and"
    " spread of all the judges' before they are averaged, so a harsh or a lenient judge"
    " weighs the same.",
)
TOTAL_RAW = QT_TRANSLATE_NOOP(
    "print",
    "Total: the mean of the team's final sheet scores (0 to 100). Judges: final sheets"
    " counted. The criterion columns are the mean score given on each. =2: a shared rank.",
)
TOTAL_NORMALISED = QT_TRANSLATE_NOOP(
    "print",
    "Total: the mean of the team's normalised sheet scores (0 to 100), which ranks; Raw: the"
    " mean of its sheet scores as given. Judges: final sheets counted. The criterion columns"
    " are the mean score given on each. =2: a shared rank.",
)

# Room to write in: empty lines, not padding, since Qt moves whole lines to the next page but
# splits a cell's padding across the page's foot (the row was cut off).
LINES = "&nbsp;<br>"
BOX = LINES * 2


Step = Callable[[int, int], bool]  # (done, total) -> go on
Tick = Callable[[int, int], None]  # the same, raising Cancelled to stop


class Cancelled(Exception):
    """The user stopped the printing before the end; nothing was written."""


@dataclass(frozen=True)
class Document:
    """One document to print: which (`reports.DOCUMENTS`), the event's settings, its pages."""

    what: str
    event: Mapping[str, Any]
    pages: Sequence[Any]

    @property
    def title(self) -> str:
        """The document's title, in the installed language."""
        return translate("print", TITLES[self.what])


def application() -> QGuiApplication:
    """Return the running Qt application, or start a windowless one (fonts need it)."""
    app = QGuiApplication.instance()
    return app if isinstance(app, QGuiApplication) else QGuiApplication([])


def build(what: str, state: State, rows: Sequence[Row]) -> Document:
    """Gather a document's data; raise NothingToPrint when it would have no page."""
    makers: dict[str, Callable[[], Sequence[Any]]] = {
        "results": lambda: reports.results(state, rows),
        "feedback": lambda: reports.feedback(state, rows),
        "certificates": lambda: reports.winners(state, rows),
        "sheets": lambda: reports.blank_sheets(state),
    }
    if what not in makers:
        raise ValueError(f"unknown document {what!r}; choose {', '.join(reports.DOCUMENTS)}")
    return Document(what, state.event(), makers[what]())


def page_layout(document: Document) -> QPageLayout:
    """Return A4 with the document's margins: landscape for certificates, else portrait."""
    landscape = document.what == "certificates"
    orientation = (
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    )
    return QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4), orientation, MARGINS_MM, QPageLayout.Unit.Millimeter
    )


def write_pdf(path: Path, document: Document, step: Step | None = None) -> int:
    """Write `document` to the PDF `path` whole (or leave nothing); return its page count.

    Raises OSError when the file cannot be written, Cancelled when `step` says stop; an
    earlier file at `path` is kept then.
    """
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    if path.is_dir():
        raise IsADirectoryError(f"cannot write {path}: it is a folder")
    # Python opens it first, so an unwritable place fails with the system's reason rather
    # than as a painter that quietly does not begin.
    try:
        with partial.open("xb"):
            pass
    except OSError as exc:
        raise OSError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        writer = QPdfWriter(str(partial))
        writer.setResolution(DPI)
        writer.setTitle(f"{document.event['name']} — {document.title}")
        writer.setCreator("Tallyboard")
        writer.setPageLayout(page_layout(document))
        pages = render(document, writer, step)
        del writer  # the file is finished when the writer goes
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return pages


def render(document: Document, device: QPagedPaintDevice, step: Step | None = None) -> int:
    """Paint `document` on a PDF writer or printer set up with `page_layout`; return its pages.

    `step(done, total)` is called after each block laid out and each page drawn (a few ms
    apart), so a window can show progress and keep its loop turning; False stops the work
    with Cancelled.
    """
    painter = QPainter()
    if not painter.begin(device):
        raise OSError("the printer or file could not be opened for painting")

    def go_on(done: int, total: int) -> None:
        if step is not None and not step(done, total):
            raise Cancelled("stopped before the end")

    try:
        if document.what == "certificates":
            return _certificates(painter, device, document, go_on)
        return _flow(painter, device, document, _html(document), go_on)
    finally:
        painter.end()


# --- paging -------------------------------------------------------------------------------


def _px(device: QPagedPaintDevice, points: float) -> float:
    return points * device.logicalDpiY() / 72.0


def _font(device: QPagedPaintDevice, points: float, *, bold: bool = False) -> QFont:
    font = QFont(FONT)
    font.setPixelSize(max(1, round(_px(device, points))))
    font.setBold(bold)
    return font


def _paint_rect(device: QPagedPaintDevice) -> QRectF:
    """Return the page's printable area in the painter's coordinates (its origin at 0, 0)."""
    rect = device.pageLayout().paintRectPixels(device.logicalDpiX())
    return QRectF(0, 0, rect.width(), rect.height())


def _furniture(
    painter: QPainter, device: QPagedPaintDevice, document: Document, page: int, pages: int
) -> None:
    """Draw a page's header (the event's name, the document's title, a rule) and its footer."""
    area = _paint_rect(device)
    small = _font(device, 8.5)
    height = QFontMetricsF(small).height()
    painter.save()
    painter.setFont(_font(device, 8.5, bold=True))
    painter.setPen(QColor(INK))
    top = QRectF(0, 0, area.width(), height)
    align = Qt.AlignmentFlag.AlignVCenter
    painter.drawText(top, align | Qt.AlignmentFlag.AlignLeft, str(document.event["name"]))
    painter.setFont(small)
    painter.setPen(QColor(MUTED))
    painter.drawText(top, align | Qt.AlignmentFlag.AlignRight, document.title)
    painter.setPen(QPen(QColor(RULE), max(1.0, _px(device, 0.5))))
    rule = round(height * 1.4)
    painter.drawLine(0, rule, round(area.width()), rule)
    bottom = QRectF(0, area.height() - height, area.width(), height)
    text = translate("print", "Page {page} of {pages}").format(page=page, pages=pages)
    painter.setPen(QColor(MUTED))
    painter.drawText(bottom, align | Qt.AlignmentFlag.AlignHCenter, text)
    painter.restore()


def _furniture_size(device: QPagedPaintDevice) -> tuple[float, float]:
    """Return the heights the header and the footer take from a page."""
    height = QFontMetricsF(_font(device, 8.5)).height()
    return height * 2.2, height * 2.0


@dataclass(frozen=True)
class _Piece:
    """A stretch of one laid-out block on a page: from `source` down, `height` tall, at `top`."""

    text: QTextDocument
    top: float
    source: float
    height: float


def _block(device: QPagedPaintDevice, html_text: str, width: float) -> QTextDocument:
    """Lay out one block of HTML at the page's width, in the documents' type."""
    text = QTextDocument()
    text.documentLayout().setPaintDevice(device)
    text.setDocumentMargin(0)
    text.setDefaultFont(_font(device, 10))
    text.setDefaultStyleSheet(CSS)
    text.setHtml(html_text)
    text.setTextWidth(width)
    return text


def _paginate(
    device: QPagedPaintDevice,
    parts: Sequence[Sequence[str]],
    width: float,
    height: float,
    tick: Tick,
) -> list[list[_Piece]]:
    """Place blocks on pages: each part from a new page, a block whole where it fits.

    Each block is its own small document, so the work grows with the blocks, not with
    pages x blocks as one long document drawn page by page did (23 s for 656 pages); a block
    taller than a page is cut by Qt's own pagination, which repeats its table's header.
    """
    pages: list[list[_Piece]] = []
    total = sum(len(part) for part in parts) * 2  # laying out is about half the work
    done = 0
    for part in parts:
        used = height  # a part starts a page of its own
        for html_text in part:
            done += 1
            tick(done, total)
            text = _block(device, html_text, width)
            size = text.size().height()
            if size > height - used and used > 0 and size <= height:
                pages.append([])
                used = 0.0
            if size <= height - used:
                pages[-1].append(_Piece(text, used, 0.0, size))
                used += size
                continue
            text.setPageSize(QSizeF(width, height))
            for index in range(text.pageCount()):
                pages.append([_Piece(text, 0.0, index * height, height)])
            used = height
    return pages


def _flow(
    painter: QPainter,
    device: QPagedPaintDevice,
    document: Document,
    parts: list[list[str]],
    tick: Tick,
) -> int:
    """Lay blocks of HTML out on pages between header and footer; return the page count."""
    area = _paint_rect(device)
    header, footer = _furniture_size(device)
    pages = _paginate(device, parts, area.width(), area.height() - header - footer, tick)
    blocks = sum(len(part) for part in parts)
    for number, pieces in enumerate(pages, 1):
        tick(blocks + blocks * number // len(pages), 2 * blocks)
        if number > 1:
            device.newPage()
        _furniture(painter, device, document, number, len(pages))
        for piece in pieces:
            painter.save()
            painter.translate(0, header + piece.top - piece.source)
            piece.text.drawContents(painter, QRectF(0, piece.source, area.width(), piece.height))
            painter.restore()
    return len(pages)


# --- the documents' bodies ----------------------------------------------------------------


def _e(text: object) -> str:
    return html.escape(str(text))


def number(value: float | None) -> str:
    """Return a scale value as written on a sheet: 7, 4.5, 0.25 (no trailing zeros)."""
    return "—" if value is None else f"{value:g}"


def score(value: float | None) -> str:
    """Return a score or total with two decimals, or a dash when there is none."""
    return "—" if value is None else f"{value:.2f}"


def sheets_text(count: int) -> str:
    """Return "1 final sheet" or "N final sheets"."""
    if count == 1:
        return translate("print", "1 final sheet")
    return translate("print", "{count} final sheets").format(count=count)


def rank_text(row: reports.BoardRow | reports.Placing) -> str:
    """Return a rank as printed: "1", "=2" when shared, a dash when unranked."""
    if row.rank is None:
        return "—"
    return f"={row.rank}" if row.shared else str(row.rank)


def scale_text(criterion: reports.Criterion) -> str:
    """Return a criterion's scale in words: "0 to 10, step 1"."""
    return translate("print", "{low} to {high}, step {step}").format(
        low=number(criterion.low), high=number(criterion.high), step=number(criterion.step)
    )


def _html(document: Document) -> list[list[str]]:
    """Return the document's parts (each starts a page), each a list of blocks kept whole."""
    if document.what == "results":
        return [[_results(board, document.event)] for board in document.pages]
    if document.what == "feedback":
        return [[_feedback(page)] for page in document.pages]
    return [_blank(sheet) for sheet in document.pages]


def _table(
    headers: Sequence[tuple[str, bool]],
    rows: Sequence[Sequence[tuple[str, bool]]],
    widths: Sequence[int] = (),
    tail: str = "",
    caption: str = "",
) -> str:
    """Return an HTML table; each cell is (text already escaped, right-aligned).

    A row of one cell spans the whole table (a heading inside it).

    `caption` (HTML) heads the table in a row of its own inside its header, which Qt repeats
    on each page the table runs onto, so a heading is never left alone at a page's foot.
    """

    def cell(tag: str, text: str, num: bool, width: int = 0) -> str:
        attrs = (" class=num" if num else "") + (f' width="{width}%"' if width else "")
        return f"<{tag}{attrs}>{text}</{tag}>"

    sizes = list(widths) + [0] * (len(headers) - len(widths))
    head = "".join(cell("th", t, n, w) for (t, n), w in zip(headers, sizes, strict=True))
    body = "".join(
        f'<tr><td colspan="{len(headers)}">{row[0][0]}</td></tr>'  # one cell: the whole row
        if len(row) == 1 < len(headers)
        else "<tr>" + "".join(cell("td", t, n) for t, n in row) + "</tr>"
        for row in rows
    )
    return (
        '<table width="100%" border="1" cellspacing="0" cellpadding="5">'
        f"<thead>{caption}<tr>{head}</tr></thead>{body}{tail}</table>"
    )


def _heading(text: str, level: int = 2) -> str:
    return f"<h{level}>{_e(text)}</h{level}>"


def _note(text: str, kind: str = "note") -> str:
    """Return a paragraph of text in a smaller, muted style ("note") or the lead's ("lead")."""
    return f"<p class={kind}>{_e(text)}</p>"


def board_title(board: reports.Board | reports.Placing) -> str:
    """Return a board's title in the installed language: "Round · Prize (sponsor)"."""
    overall = translate("print", "Overall results")
    if isinstance(board, reports.Board) and board.title is None:
        return overall  # the event's only board
    name = reports.prize_title(board.prize, board.sponsor) if board.prize else overall
    return f"{round_name(board.round_name, None)} · {name}"


def _results(board: reports.Board, event: Mapping[str, Any]) -> str:
    title = board_title(board)
    lines = [_heading(title, 1)]
    if event.get("phase") in ("setup", "scoring"):
        provisional = translate("print", "Provisional: scoring is still open, so these may change.")
        lines.append(_note(provisional, "lead"))
    if board.normalised:
        lines.append(_note(translate("print", NORMALISED), "lead"))
    if board.hidden:
        lines.append(_note(translate("print", "A hidden prize: displays and teams do not see it.")))
    raw = [(_e(translate("print", "Raw")), True)] if board.normalised else []
    headers = [
        (_e(translate("print", "Rank")), True),
        (_e(translate("print", "Team")), False),
        (_e(translate("print", "Total")), True),
        *raw,
        (_e(translate("print", "Judges")), True),
        *[(_e(c.name), True) for c in board.criteria],
    ]
    rows = [
        [
            (_e(rank_text(r)), True),
            (_e(r.team_name), False),
            (f"<b>{_e(score(r.total))}</b>", True),
            *([(_e(score(r.raw)), True)] if board.normalised else []),
            (str(r.judge_count), True),
            *[(_e(score(m)), True) for m in r.means],
        ]
        for r in board.rows
    ]
    lines.append(_table(headers, rows))
    lines.append(_note(translate("print", TOTAL_NORMALISED if board.normalised else TOTAL_RAW)))
    return "".join(lines)


def _feedback(page: reports.Feedback) -> str:
    row = page.row
    facts = [
        translate("print", "Rank {rank}").format(rank=rank_text(row)),
        translate("print", "Total {total}").format(total=score(row.total)),
        sheets_text(row.judge_count),
    ]
    if row.location:
        facts.insert(0, row.location)
    lines = [_heading(row.team_name, 1), _note(" · ".join(facts), "lead")]
    if row.members:
        lines.append(_note(", ".join(row.members)))
    who = translate("print", "Judge") if page.names_judges else translate("print", "Sheet")
    headers = [
        (_e(who), False),
        *[(_e(f"{c.name} ({number(c.low)}–{number(c.high)})"), True) for c in page.criteria],
        (_e(translate("print", "Sheet score")), True),
    ]
    rows = [
        [
            (_e(line.judge or translate("print", "Sheet {k}").format(k=k)), False),
            *[(_e(number(v)), True) for v in line.scores],
            (_e(score(line.score)), True),
        ]
        for k, line in enumerate(page.sheets, 1)
    ]
    mean = translate("print", "Mean")
    rows.append(
        [
            (f"<b>{_e(mean)}</b>", False),
            *[(f"<b>{_e(score(m))}</b>", True) for m in row.means],
            (f"<b>{_e(score(row.total))}</b>", True),
        ]
    )
    lines += [_heading(translate("print", "Scores")), _table(headers, rows)]
    if page.placings:
        lines += [_heading(translate("print", "Placings")), _placings(page.placings)]
    lines.append(_heading(translate("print", "Comments")))
    said = [
        (line.judge or translate("print", "Sheet {k}").format(k=k), line.comment)
        for k, line in enumerate(page.sheets, 1)
    ]
    said = [(who_, text) for who_, text in said if text.strip()]
    if not said:
        lines.append(_note(translate("print", "No comments were written.")))
    for name, text in said:
        body = _e(text).replace("\n", "<br>")
        lines.append(f"<p><b>{_e(name)}</b> — {body}</p>")
    return "".join(lines)


def _placings(placings: Sequence[reports.Placing]) -> str:
    """Return the table of a team's place on each board it is on."""
    headers = [
        (_e(translate("print", "Board")), False),
        (_e(translate("print", "Rank")), True),
        (_e(translate("print", "Total")), True),
    ]
    rows = [
        [
            (_e(board_title(p)), False),
            (_e(rank_text(p)), True),
            (_e(score(p.total)), True),
        ]
        for p in placings
    ]
    return _table(headers, rows, (70, 15, 15))


def _blank(sheet: reports.BlankSheets) -> list[str]:
    """Return a judge's blank sheets as blocks: the heading, then one table a team."""
    title = translate("print", "Scoring sheets: {judge}").format(judge=sheet.judge_name)
    if sheet.round_name:
        title = f"{title} · {round_name(sheet.round_name, None)}"
    how = translate(
        "print",
        "One table a team. Write each score on its criterion's scale, sign, and hand"
        " the sheets to the organiser, who enters them.",
    )
    blocks = [_heading(title, 1) + _note(how, "lead")]
    comment_word = translate("print", "Comment")
    headers = [
        (_e(translate("print", "Criterion")), False),
        (_e(translate("print", "Scale")), False),
        (_e(translate("print", "Weight")), True),
        (_e(translate("print", "Score")), False),
    ]
    for table in sheet.tables:
        where = f" · {_e(table.location)}" if table.location else ""
        caption = (
            f'<tr><td colspan="4" class=caption>{_e(table.name)}<span class=where>{where}</span>'
            "</td></tr>"
        )
        rows: list[list[tuple[str, bool]]] = []
        for group in table.groups:
            if group.heading is not None:
                rows.append([(f"<b>{_e(group.heading)}</b>", False)])
            rows += [
                [
                    (_e(c.name), False),
                    (_e(scale_text(c)), False),
                    (_e("×" + number(c.weight)), True),
                    (BOX, False),
                ]
                for c in group.criteria
            ]
        also = ""
        if table.also_for:
            counts = translate("print", "Also counts for: {prizes}").format(
                prizes=", ".join(table.also_for)
            )
            also = f'<tr><td colspan="4" class=sign>{_e(counts)}</td></tr>'
        signed = translate("print", "Signature: ____________________    Time: ________")
        tail = (
            f"{also}<tr><td>{_e(comment_word)}</td>"
            f'<td colspan="3">{LINES * 3}</td></tr>'
            f'<tr><td colspan="4" class=sign>{_e(signed)}</td></tr>'
        )
        blocks.append(_table(headers, rows, (26, 24, 10, 40), tail, caption) + "<p>&nbsp;</p>")
    return blocks


# --- certificates -------------------------------------------------------------------------


def _fit(
    painter: QPainter, device: QPagedPaintDevice, text: str, points: float, width: float
) -> QFont:
    """Return a bold font for `text` at `points`, smaller until it fits `width`."""
    while True:
        font = _font(device, points, bold=True)
        if QFontMetricsF(font).horizontalAdvance(text) <= width or points <= 12:
            return font
        points -= 2


def _certificates(
    painter: QPainter, device: QPagedPaintDevice, document: Document, tick: Tick
) -> int:
    winners: Sequence[reports.Winner] = document.pages
    area = _paint_rect(device)
    for index, winner in enumerate(winners):
        tick(index + 1, len(winners))
        if index:
            device.newPage()
        _certificate(painter, device, area, document, winner)
        footer = QRectF(0, area.height() - _px(device, 12), area.width(), _px(device, 12))
        painter.setFont(_font(device, 8))
        painter.setPen(QColor(MUTED))
        painter.drawText(
            footer,
            Qt.AlignmentFlag.AlignHCenter,
            translate("print", "Page {page} of {pages}").format(page=index + 1, pages=len(winners)),
        )
    return len(winners)


def _certificate(
    painter: QPainter,
    device: QPagedPaintDevice,
    area: QRectF,
    document: Document,
    winner: reports.Winner,
) -> None:
    """Paint one certificate inside a double frame."""
    row = winner.row
    frame = area.adjusted(0, 0, 0, -_px(device, 16))
    painter.setPen(QPen(QColor(INK), _px(device, 2)))
    painter.drawRect(frame)
    painter.setPen(QPen(QColor(RULE), _px(device, 0.75)))
    painter.drawRect(frame.adjusted(*(_px(device, 6),) * 2, *(-_px(device, 6),) * 2))
    inner = frame.adjusted(_px(device, 40), _px(device, 40), -_px(device, 40), -_px(device, 30))
    place = translate("print", PLACES.get(row.rank or 0, "")) or translate(
        "print", "Rank {rank}"
    ).format(rank=row.rank)
    if row.shared:
        place = translate("print", "{place} (shared)").format(place=place)
    board = winner.prize or translate("print", "the overall results")
    sponsor = (
        translate("print", "Sponsored by {sponsor}").format(sponsor=winner.sponsor)
        if winner.sponsor
        else ""
    )
    lines: list[tuple[str, QFont, str]] = [
        (translate("print", "Certificate of achievement").upper(), _font(device, 13), MUTED),
        (str(document.event["name"]), _font(device, 16, bold=True), INK),
        (translate("print", "is awarded to"), _font(device, 12), MUTED),
        (row.team_name, _fit(painter, device, row.team_name, 40, inner.width()), INK),
        (", ".join(row.members), _font(device, 11), MUTED),
        (place, _font(device, 22, bold=True), INK),
        (translate("print", "in {board}").format(board=board), _font(device, 12), MUTED),
        (sponsor, _font(device, 11), MUTED),
        (
            translate("print", "Total {total} from {sheets}").format(
                total=score(row.total), sheets=sheets_text(row.judge_count)
            ),
            _font(device, 11),
            MUTED,
        ),
    ]
    lines = [line for line in lines if line[0]]
    gaps = [QFontMetricsF(font).height() * 1.5 for _, font, _ in lines]
    y = inner.top() + max(0.0, (inner.height() - sum(gaps)) / 2)
    for (text, font, ink), gap in zip(lines, gaps, strict=True):
        painter.setFont(font)
        painter.setPen(QColor(ink))
        painter.drawText(
            QRectF(inner.left(), y, inner.width(), gap), Qt.AlignmentFlag.AlignCenter, text
        )
        y += gap
    signature_y = inner.bottom() - _px(device, 30)
    painter.setPen(QPen(QColor(RULE), _px(device, 0.75)))
    for left in (inner.left() + inner.width() * 0.08, inner.left() + inner.width() * 0.62):
        painter.drawLine(
            round(left), round(signature_y), round(left + inner.width() * 0.3), round(signature_y)
        )
    painter.setFont(_font(device, 9))
    painter.setPen(QColor(MUTED))
    for left, words in (
        (inner.left() + inner.width() * 0.08, translate("print", "Organiser")),
        (inner.left() + inner.width() * 0.62, translate("print", "Date")),
    ):
        painter.drawText(
            QRectF(left, signature_y + _px(device, 3), inner.width() * 0.3, _px(device, 14)),
            Qt.AlignmentFlag.AlignHCenter,
            words,
        )
