"""Tests for the Codes page, driven through its widgets against a real demo host."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from desktop import host_model as model
from desktop.host import ask
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


def test_each_row_says_how_many_devices_its_code_paired_and_asks_for_more(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = CodesPage()
    qtbot.addWidget(page)
    codes = [
        {"role": "judge", "id": "judge-ada", "name": "Ada", "code": "ABCD-EFGH"},
        {"role": "judge", "id": "judge-bao", "name": "Bao", "code": "JKLM-NPQR"},
        {"role": "display", "id": None, "name": "All displays", "code": "WXYZ-2345"},
    ]
    usage = {"ABCD-EFGH": (2, 2), "JKLM-NPQR": (1, 2), "WXYZ-2345": (5, None)}
    page.show_codes(
        model.codes_view(
            addresses=["10.0.0.2:8765"],
            url=None,
            fingerprint=None,
            secure=False,
            join_codes=codes,
            usage=usage,
        )
    )
    ada, bao, displays = page.rows
    assert (ada.usage.text(), bao.usage.text()) == ("2 of 2 devices, used up", "1 of 2 devices")
    assert displays.usage.text() == "5 devices"
    assert (ada.allow.isVisibleTo(page), bao.allow.isVisibleTo(page)) == (True, False)
    assert not isinstance(displays.usage, QPushButton)  # any number of displays: no limit
    allowed: list[str] = []
    limits: list[tuple[str, int]] = []
    page.allow_requested.connect(allowed.append)
    page.limit_requested.connect(lambda code, n: limits.append((code, n)))
    ada.allow.click()
    asked: list[tuple[int, int, int]] = []

    def answer(_parent: object, _title: str, _text: str, value: int, low: int, high: int) -> int:
        asked.append((value, low, high))
        return 4

    monkeypatch.setattr(ask, "number", answer)
    bao.usage.click()
    monkeypatch.setattr(ask, "number", lambda *_: 2)  # the limit it has: nothing to ask
    bao.usage.click()
    monkeypatch.setattr(ask, "number", lambda *_: None)  # cancelled
    bao.usage.click()
    assert allowed == ["ABCD-EFGH"]
    assert asked == [(2, 1, 99)]
    assert limits == [("JKLM-NPQR", 4)]


def test_allowing_another_device_and_setting_a_limit_reach_the_host(
    demo_host: DemoHost, window: HostWindow
) -> None:
    window.show_page("Codes")
    code = demo_host.code("judge", "judge-ada")
    window.codes.allow_requested.emit(code)  # a judge's 2, and one more
    row = next(r for r in window.codes.rows if r.code == code)
    assert row.usage.text() == "0 of 3 devices"
    assert window.message.text() == f"{code} may pair one more device now (3 in all)."
    window.codes.limit_requested.emit(code, 1)
    row = next(r for r in window.codes.rows if r.code == code)
    assert row.usage.text() == "0 of 1 device"
    assert window.message.text() == f"{code} may pair 1 device."
    assert demo_host.replica.device_limit(code) == 1


@pytest.mark.parametrize("demo_host", [{"web_port": 0}], indirect=True)
def test_the_page_shows_the_public_page_and_a_qr_code_for_it_and_each_team(
    demo_host: DemoHost, window: HostWindow, qtbot: QtBot
) -> None:
    window.show_page("Codes")
    page = window.codes
    assert demo_host.server.web is not None
    public = f"http://127.0.0.1:{demo_host.server.web.port}/"
    assert page.page.text() == public
    assert page.page_qr.isVisibleTo(page)
    assert page.page_qr.text_shown == public
    copied: list[str] = []
    page.copy_requested.connect(copied.append)
    page.copy_page.click()
    assert copied == [public]
    teams = [row for row in page.rows if row.line.role == "team"]
    assert len(teams) == 8
    for row in teams:
        # The team page's link carries the code in its fragment, which browsers never send.
        assert row.qr.text_shown == f"{public}team#code={row.code}"
        assert not row.qr.isVisibleTo(page)
    aurora = CodesPage()  # the window redraws its page as it likes: toggle on a page of our own
    qtbot.addWidget(aurora)
    aurora.show_codes(page.shown)
    row = next(row for row in aurora.rows if row.line.role == "team")
    row.qr_button.click()
    assert row.qr.isVisibleTo(aurora)
    row.qr_button.click()
    assert not row.qr.isVisibleTo(aurora)
    # Judges' and the displays' codes never go on a page for browsers.
    assert not [row for row in page.rows if row.line.role != "team" and row.line.page_link]


def test_a_host_serving_no_pages_shows_no_qr_code(qtbot: QtBot) -> None:
    page = CodesPage()
    qtbot.addWidget(page)
    page.show_codes(codes_view())
    assert page.page.text() == "Not serving pages"
    assert not page.copy_page.isEnabled()
    assert not page.page_qr.isVisibleTo(page)
    assert all(row.line.page_link is None for row in page.rows)
