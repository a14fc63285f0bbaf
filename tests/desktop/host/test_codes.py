"""Tests for the Codes page, driven through its widgets against a real demo host."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication

from desktop.host.window import HostWindow
from tests.desktop.conftest import DemoHost
from tests.desktop.host.conftest import Run, settle


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
