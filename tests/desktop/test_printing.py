"""Tests for the printed documents: each PDF read back with pdftotext, its numbers checked."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
import unicodedata
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from desktop import i18n, printing
from storage import reports
from storage.replica import Replica
from storage.signing import DeviceKey
from tests.conftest import OpFactory
from tests.kit import Client, run, served_demo
from tests.report_event import EVENT_NAME, prized_event, scored_event

pytestmark = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in ("pdftotext", "pdfinfo", "pdfimages")),
    reason="needs poppler-utils (pdftotext, pdfinfo, pdfimages): .ci/bootstrap installs it",
)


@dataclass
class Device:
    """A judge's laptop as a raw client pairs it."""

    device: str
    key: DeviceKey


def pdf_text(path: Path, page: int | None = None) -> str:
    """Return the text of a PDF (or of one page), in its layout, with runs of spaces as one.

    NFKC undoes the typesetter's ligatures ("ﬁ" in "final").
    """
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run(
        ["pdftotext", "-layout", *pages, str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout
    out = unicodedata.normalize("NFKC", out)
    return "\n".join(re.sub(r"\s+", " ", line).strip() for line in out.splitlines())


def pdf_info(path: Path) -> dict[str, str]:
    """Return pdfinfo's fields (Pages, Page size, Title...)."""
    out = subprocess.run(
        ["pdfinfo", str(path)], capture_output=True, text=True, check=True, timeout=30
    ).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


@pytest.fixture
def event(tmp_path: Path) -> Iterator[Replica]:
    replica = scored_event(tmp_path)
    yield replica
    replica.close()


def write(replica: Replica, what: str, path: Path) -> int:
    return printing.write_pdf(path, printing.build(what, replica.state, replica.board.rows()))


def test_results_list_ranks_totals_judge_counts_and_means(
    qapp: QApplication, event: Replica, tmp_path: Path
) -> None:
    out = tmp_path / "results.pdf"
    assert write(event, "results", out) == 1
    info = pdf_info(out)
    assert info["Pages"] == "1"
    assert "(A4)" in info["Page size"]
    assert info["Page size"].startswith("595 x 842")  # portrait, in points
    assert info["Title"] == f"{EVENT_NAME} — Results"
    text = pdf_text(out)
    assert EVENT_NAME in text
    assert "Page 1 of 1" in text
    lines = text.splitlines()
    for row in (
        "1 Aurora 87.19 2 8.50 85.00 4.75",
        "=2 Basalt 62.50 2 7.00 60.00 3.00",  # a shared rank is shown as shared
        "=2 Cobalt 62.50 1 7.00 60.00 3.00",
        "4 Driftwood 38.75 1 4.00 50.00 2.00",
        "— Ember — 0 — — —",
    ):
        assert row in lines, (row, lines)
    assert "Provisional" not in text  # the event is locked


def test_feedback_is_one_team_a_page_without_judges_names_by_default(
    qapp: QApplication, event: Replica, tmp_path: Path
) -> None:
    out = tmp_path / "feedback.pdf"
    assert write(event, "feedback", out) == 4  # Ember has no final sheet: no page
    pages = [pdf_text(out, k) for k in range(1, 5)]
    assert [p.splitlines()[0] for p in pages] == [f"{EVENT_NAME} Feedback"] * 4
    aurora = pages[0].splitlines()
    assert "Aurora" in aurora
    assert "Table 1 · Rank 1 · Total 87.19 · 2 final sheets" in aurora
    assert "Sheet 1 8 90 5 87.50" in aurora  # best first: the order tells nothing of who
    assert "Sheet 2 9 80 4.5 86.88" in aurora
    assert "Mean 8.50 85.00 4.75 87.19" in aurora
    assert "Sheet 1 — Polished and accessible." in aurora
    assert "Page 1 of 4" in aurora
    assert "Rank =2 · Total 62.50" in pages[1]
    assert "Table 3 · Rank =2 · Total 62.50 · 1 final sheet" in pages[2].splitlines()
    whole = "\n".join(pages)
    for name in ("Ada Lovelace", "Grace Hopper", "Alan Turing", "Judge"):
        assert name not in whole
    assert "DRAFT NEVER PRINTED" not in whole
    assert "Ember" not in whole
    assert "No comments were written." not in pages[1]  # Ada wrote one for Basalt


def test_feedback_names_the_judges_when_the_event_allows_it(
    qapp: QApplication, tmp_path: Path
) -> None:
    replica = scored_event(tmp_path, names_judges=True)
    try:
        out = tmp_path / "feedback.pdf"
        write(replica, "feedback", out)
    finally:
        replica.close()
    aurora = pdf_text(out, 1).splitlines()
    assert "Ada Lovelace 9 80 4.5 86.88" in aurora
    assert "Grace Hopper 8 90 5 87.50" in aurora
    assert "Ada Lovelace — Bold idea, clean demo." in aurora
    assert "Alan Turing 4 50 2 38.75" in pdf_text(out, 4).splitlines()


def test_certificates_are_landscape_one_a_page_for_the_first_three_places(
    qapp: QApplication, event: Replica, tmp_path: Path
) -> None:
    out = tmp_path / "certificates.pdf"
    assert write(event, "certificates", out) == 3
    info = pdf_info(out)
    assert info["Page size"].startswith("842 x 595")  # landscape, in points
    assert "(A4)" in info["Page size"]
    pages = [pdf_text(out, k).splitlines() for k in range(1, 4)]
    assert "Aurora" in pages[0]
    assert "First place" in pages[0]
    assert "Total 87.19 from 2 final sheets" in pages[0]
    assert "Ines Duarte, Kwame Mensah" in pages[0]
    assert "Basalt" in pages[1]
    assert "Second place (shared)" in pages[1]
    assert "Cobalt" in pages[2]
    assert "Second place (shared)" in pages[2]
    assert all(EVENT_NAME in page for page in pages)
    assert "Driftwood" not in "\n".join("\n".join(p) for p in pages)


def test_blank_sheets_give_each_judge_their_teams_with_scales_and_weights(
    qapp: QApplication, event: Replica, tmp_path: Path
) -> None:
    out = tmp_path / "sheets.pdf"
    pages = write(event, "sheets", out)
    text = pdf_text(out)
    chunks = text.split("Scoring sheets: ")[1:]  # one chunk per judge, in name order
    judges = {chunk.splitlines()[0]: chunk for chunk in chunks}
    assert list(judges) == ["Ada Lovelace", "Alan Turing", "Grace Hopper"]
    assert pages >= 3  # each judge starts a page of their own
    ada = judges["Ada Lovelace"]
    assert "Aurora · Table 1" in ada
    assert "Basalt · Table 2" in ada
    assert "Cobalt" not in ada  # not assigned to her
    assert "Aurora" not in judges["Alan Turing"]  # a conflict
    assert "Ember · Table 5" in judges["Grace Hopper"]
    lines = ada.splitlines()
    assert "Innovation 0 to 10, step 1 ×2" in lines
    assert "Design 0 to 100, step 5 ×1" in lines
    assert "Demo 1 to 5, step 0.5 ×1" in lines
    assert re.search(r"Page 1 of \d+", text)


def test_a_document_with_nothing_to_print_writes_nothing(
    qapp: QApplication, tmp_path: Path
) -> None:
    replica = Replica.open(tmp_path / "host.db")
    try:
        replica.register_self()
        for what in reports.DOCUMENTS:
            with pytest.raises(reports.NothingToPrint):
                printing.build(what, replica.state, replica.board.rows())
    finally:
        replica.close()


def test_an_unwritable_place_fails_clearly_and_leaves_nothing_behind(
    qapp: QApplication, event: Replica, tmp_path: Path
) -> None:
    document = printing.build("results", event.state, event.board.rows())
    with pytest.raises(OSError, match=r"cannot write .*missing/out\.pdf: No such file"):
        printing.write_pdf(tmp_path / "missing" / "out.pdf", document)
    folder = tmp_path / "a folder.pdf"
    folder.mkdir()
    with pytest.raises(IsADirectoryError, match="it is a folder"):
        printing.write_pdf(folder, document)
    assert sorted(p.name for p in tmp_path.iterdir() if "partial" in p.name) == []


def test_a_new_pdf_replaces_an_old_one_whole(
    qapp: QApplication, event: Replica, tmp_path: Path
) -> None:
    out = tmp_path / "results.pdf"
    out.write_bytes(b"an older file")
    write(event, "results", out)
    assert out.read_bytes().startswith(b"%PDF-")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


def test_a_judges_comment_of_html_prints_as_text_and_embeds_no_local_file(
    qapp: QApplication, tmp_path: Path
) -> None:
    """A hostile judge's comment, sent over a real socket, prints as the characters typed.

    Before the fix (comments set into the HTML unescaped), the `<img>` pulled a picture from
    the organiser's disk into the team's feedback PDF (pdfimages listed it) and the markup was
    obeyed (bold text, a link), not shown.
    """
    secret = tmp_path / "organiser-only.png"
    picture = QImage(64, 64, QImage.Format.Format_RGB32)
    picture.fill(QColor("#ff0000"))
    assert picture.save(str(secret))
    comment = f'<img src="{secret}" width="300"><b>Bold</b> <a href="http://evil.example/">x</a>'

    async def scenario() -> printing.Document:
        async with served_demo(tmp_path / "host") as (server, codes):
            key, device = DeviceKey.generate(), str(uuid.uuid4())
            client = await Client.open(server.url)
            try:
                await client.join(Device(device, key), codes[("judge", "judge-ada")])
                ops = OpFactory(
                    "judge-ada", device=device, key=key, start_ms=int(time.time() * 1000)
                )
                body = {
                    "team": "team-aurora",
                    "scores": {"innovation": 90, "design": 80, "execution": 70},
                    "comment": comment,
                    "final": True,
                }
                await client.ws.send(
                    json.dumps({"type": "submit", "ops": [ops.wire("sheet.save", body)]})
                )
                ack = await client.expect("ack")
                assert len(ack["accepted"]) == 1, ack
            finally:
                await client.close()
            return printing.build("feedback", server.replica.state, server.replica.board.rows())

    out = tmp_path / "feedback.pdf"
    printing.write_pdf(out, run(scenario()))  # off the loop: writing a file blocks
    images = subprocess.run(
        ["pdfimages", "-list", str(out)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert len(images) == 2, images  # the two header lines of the list, and no image
    text = pdf_text(out)
    assert '<img src="' in text
    assert "<b>Bold</b>" in text


def test_stopping_midway_writes_nothing_and_keeps_the_earlier_file(
    qapp: QApplication, event: Replica, tmp_path: Path
) -> None:
    out = tmp_path / "sheets.pdf"
    out.write_bytes(b"yesterday's sheets")
    seen: list[tuple[int, int]] = []

    def step(done: int, total: int) -> bool:
        seen.append((done, total))
        return len(seen) < 4  # stop at the fourth step

    document = printing.build("sheets", event.state, event.board.rows())
    with pytest.raises(printing.Cancelled):
        printing.write_pdf(out, document, step)
    assert out.read_bytes() == b"yesterday's sheets"
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".partial") == []
    assert len(seen) == 4
    # Every step is counted against one total, and moves forward.
    assert len({total for _, total in seen}) == 1
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_the_steps_run_to_their_total_on_a_finished_document(
    qapp: QApplication, event: Replica, tmp_path: Path
) -> None:
    seen: list[tuple[int, int]] = []
    document = printing.build("feedback", event.state, event.board.rows())
    pages = printing.write_pdf(tmp_path / "f.pdf", document, lambda *a: seen.append(a) or True)
    assert pages == 4
    assert seen[-1][0] == seen[-1][1]  # the last step is the whole


# --- prizes and rounds (tests/report_event.py: the prized event) --------------------------------


@pytest.fixture
def prized(tmp_path: Path) -> Iterator[Replica]:
    replica = prized_event(tmp_path / "prized")
    yield replica
    replica.close()


def test_results_print_every_round_and_prize_each_on_its_own_page(
    qapp: QApplication, prized: Replica, tmp_path: Path
) -> None:
    out = tmp_path / "results.pdf"
    assert write(prized, "results", out) == 6
    pages = [pdf_text(out, k).splitlines() for k in range(1, 7)]
    titles = [
        "Round 1 · Overall results",
        "Round 1 · Best design (Acme Studio)",
        "Round 1 · Best newcomers",
        "Finals · Overall results",
        "Finals · Best design (Acme Studio)",
        "Finals · Best newcomers",
    ]
    for page, title in zip(pages, titles, strict=True):
        assert title in page, (title, page)
        assert "Overall results" not in page or title.endswith("Overall results")
    assert "1 Aurora 87.19 2 8.50 85.00 4.75" in pages[0]
    # The sponsor prize ranks on its own criterion: its one column is Craft.
    assert "Rank Team Total Judges Craft" in pages[1]
    assert "=1 Basalt 90.00 1 9.00" in pages[1]
    assert "=1 Cobalt 90.00 1 9.00" in pages[1]
    assert "3 Aurora 70.00 2 7.00" in pages[1]
    assert "1 Basalt 62.50 2 7.00 60.00 3.00" in pages[2]
    assert "2 Driftwood 38.75 1 4.00 50.00 2.00" in pages[2]
    # The finals rank by normalised totals, say so, and show the raw mean beside them.
    finals = "\n".join(pages[3])
    assert "Ranked by normalised totals" in finals
    assert "Rank Team Total Raw Judges Innovation Design Demo" in pages[3]
    assert "1 Aurora 80.55 81.88 2 8.00 80.00 4.50" in pages[3]
    assert "2 Basalt 74.37 70.94 2 7.00 75.00 3.75" in pages[3]
    assert "3 Cobalt 68.52 70.62 2 7.50 70.00 3.50" in pages[3]
    assert "Ranked by normalised" not in "\n".join(pages[0])


def test_certificates_add_the_first_place_of_each_prize_naming_it_and_its_sponsor(
    qapp: QApplication, prized: Replica, tmp_path: Path
) -> None:
    out = tmp_path / "certificates.pdf"
    assert write(prized, "certificates", out) == 6
    pages = [pdf_text(out, k).splitlines() for k in range(1, 7)]
    assert ["Aurora" in p for p in pages] == [True, False, False, False, False, False]
    assert "First place" in pages[0]
    assert "Total 80.55 from 2 final sheets" in pages[0]  # the finals decide the main board
    assert "in the overall results" in pages[0]
    assert "Third place" in pages[2]
    for page, team in ((pages[3], "Basalt"), (pages[4], "Cobalt")):
        assert team in page
        assert "First place (shared)" in page
        assert "in Best design" in page
        assert "Sponsored by Acme Studio" in page
        assert "Total 90.00 from 1 final sheet" in page
    assert "Basalt" in pages[5]
    assert "in Best newcomers" in pages[5]
    assert "First place" in pages[5]
    assert not any("Sponsored" in line for line in pages[5])


def test_feedback_lists_each_teams_place_on_every_board(
    qapp: QApplication, prized: Replica, tmp_path: Path
) -> None:
    out = tmp_path / "feedback.pdf"
    assert write(prized, "feedback", out) == 4
    basalt = pdf_text(out, 2).splitlines()
    assert "Basalt" in basalt
    assert "Table 2 · Rank =2 · Total 62.50 · 2 final sheets" in basalt
    assert "Placings" in basalt
    for line in (
        "Round 1 · Overall results =2 62.50",
        "Round 1 · Best design (Acme Studio) =1 90.00",
        "Round 1 · Best newcomers 1 62.50",
        "Finals · Overall results 2 74.37",
        "Finals · Best design (Acme Studio) — —",
        "Finals · Best newcomers 1 70.94",
    ):
        assert line in basalt, (line, basalt)
    aurora = "\n".join(pdf_text(out, 1).splitlines())
    assert "Best newcomers" not in aurora  # not on that board: not listed


def test_blank_sheets_group_a_prizes_own_criteria_under_its_name(
    qapp: QApplication, prized: Replica, tmp_path: Path
) -> None:
    out = tmp_path / "sheets.pdf"
    write(prized, "sheets", out)
    text = pdf_text(out)
    chunks = text.split("Scoring sheets: ")[1:]
    judges = [chunk.splitlines()[0] for chunk in chunks]
    assert judges == [
        "Ada Lovelace · Round 1",
        "Alan Turing · Round 1",
        "Grace Hopper · Round 1",
        "Ada Lovelace · Finals",
        "Grace Hopper · Finals",
    ]
    ada = chunks[0]
    aurora = ada.split("Basalt · Table 2")[0].splitlines()
    assert "Innovation 0 to 10, step 1 ×2" in aurora
    assert "Best design (Acme Studio)" in aurora
    assert "Craft 0 to 10, step 1 ×1" in aurora
    basalt = ada.split("Basalt · Table 2")[1]
    assert "Also counts for: Best newcomers" in basalt.splitlines()
    finals = chunks[3]
    assert "Cobalt · Table 3" in finals
    assert "Driftwood" not in finals  # not a finalist


def test_a_hidden_prizes_board_is_printed_marked_hidden_and_left_out_of_feedback(
    qapp: QApplication, tmp_path: Path
) -> None:
    replica = prized_event(tmp_path / "hidden", hidden=True)
    try:
        assert write(replica, "results", tmp_path / "results.pdf") == 8
        write(replica, "feedback", tmp_path / "feedback.pdf")
    finally:
        replica.close()
    pick = pdf_text(tmp_path / "results.pdf", 4)
    assert "Round 1 · Judges' pick" in pick
    assert "A hidden prize: displays and teams do not see it." in pick
    assert "1 Aurora 87.19 2 8.50 85.00 4.75" in pick.splitlines()
    assert "hidden prize" not in pdf_text(tmp_path / "results.pdf", 1)
    assert "Judges' pick" not in pdf_text(tmp_path / "feedback.pdf")


def test_spanish_results_and_sheets_name_the_first_rounds_default_in_spanish(
    qapp: QApplication, prized: Replica, tmp_path: Path
) -> None:
    assert i18n.install(qapp, "es", cache=tmp_path / "qm") == "es"
    try:
        out = tmp_path / "results.pdf"
        assert write(prized, "results", out) == 6
        first = pdf_text(out, 1)
        finals = pdf_text(out, 4)
        sheets = tmp_path / "sheets.pdf"
        write(prized, "sheets", sheets)
        blank = pdf_text(sheets)
    finally:
        i18n.remove(qapp)
    assert "Ronda 1 · " in first
    assert "Round 1" not in first
    assert "Finals · " in finals  # the organiser's own name, as typed
    assert "Ada Lovelace · Ronda 1" in " ".join(blank.split())  # a heading may wrap
