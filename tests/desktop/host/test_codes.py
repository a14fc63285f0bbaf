"""Tests for the Codes page, driven through its widgets against a real demo host."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from desktop import host_model as model
from desktop.host.codes import CodesPage
from desktop.host.window import HostWindow
from sync.discovery import parse_join_link
from tests.desktop.conftest import DemoHost
from tests.desktop.host.conftest import FINGERPRINT, Run, codes_view, settle


def test_the_codes_page_shows_every_code_and_copies_it(
    demo_host: DemoHost, window: HostWindow
) -> None:
    window.show_page("Codes")
    codes = demo_host.replica.join_codes()
    shown = window.codes.shown_codes()
    assert len(codes) == 4 + 8 + 1
    assert shown == {c["name"]: c["code"] for c in codes}
    assert window.codes.addresses.text() == demo_host.target
    assert window.codes.url.text() == f"ws://{demo_host.target}/sync"
    row = next(r for r in window.codes.rows if r.name.text() == "Ada Brennan")
    assert row.code_label.text() == demo_host.code("judge", "judge-ada")
    row.copy.click()
    assert QGuiApplication.clipboard().text() == demo_host.code("judge", "judge-ada")
    row.copy_link.click()
    link = QGuiApplication.clipboard().text()
    assert link.startswith(f"tallyboard://{demo_host.target}/join?")
    assert "tls=0" in link


def test_a_new_team_gets_a_code_on_the_page(
    demo_host: DemoHost, window: HostWindow, run: Run
) -> None:
    window.show_page("Codes")
    assert demo_host.controller.admin("team.put", {"id": "team-new", "name": "Newcomers"}) is None
    settle(run, window)
    assert window.codes.shown_codes()["Newcomers"] == demo_host.replica.code_for("team", "team-new")


def test_the_page_shows_its_view_and_asks_to_copy(qtbot: QtBot) -> None:
    page = CodesPage()
    qtbot.addWidget(page)
    view = codes_view()
    page.show_codes(view)
    assert page.addresses.text() == "10.0.0.2:8765"
    assert page.url.text() == "wss://10.0.0.2:8765/sync"
    assert page.fingerprint.text() == model.format_fingerprint(FINGERPRINT)
    assert page.shown_codes() == {"Ada": "ABCD-EFGH", "All displays": "WXYZ-2345"}
    copied: list[str] = []
    page.copy_requested.connect(copied.append)
    ada = page.rows[0]
    ada.copy.click()
    ada.copy_link.click()
    page.copy_address.click()
    page.copy_fingerprint.click()
    assert copied[0] == "ABCD-EFGH"
    assert parse_join_link(copied[1]).fingerprint == FINGERPRINT
    assert copied[2:] == ["10.0.0.2:8765", FINGERPRINT]

    # The same codes keep their rows; a new address gives every row its new link.
    rows = list(page.rows)
    page.show_codes(codes_view())
    assert page.rows == rows
    page.show_codes(codes_view(("10.0.0.9:8765",)))
    assert page.rows[0].link is not None
    assert parse_join_link(page.rows[0].link).target == "10.0.0.9:8765"
    page.show_codes(codes_view(()))
    assert page.addresses.text() == "Not serving"
    assert not page.rows[0].copy_link.isEnabled()
