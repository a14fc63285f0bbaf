"""Tests for the Devices page, driven through its widgets against a real demo host."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from desktop import host_model as model
from desktop.host.devices import DevicesPage
from desktop.host.window import HostWindow
from tests.desktop.conftest import DemoHost
from tests.desktop.host.conftest import (
    MakePeer,
    Run,
    column,
    device_row,
    joined_judge,
)
from tests.kit import FakeClock, until


def test_revoking_a_device_cuts_it_off(
    demo_host: DemoHost, window: HostWindow, peer: MakePeer, run: Run, asked: list[str]
) -> None:
    judge = joined_judge(demo_host, peer, run)
    device = judge.replica.device_id
    window.show_page("Devices")
    run(until(lambda: device in window.devices.revoke_buttons))
    run(until(lambda: window.online_pill.text() == "● 1 device online"))
    table = window.devices.table
    assert column(table, 2) == ["Ada Brennan"]
    assert column(table, 3) == ["● Online"]
    assert table.item(0, 7).text() == "127.0.0.1"

    window.devices.revoke_buttons[device].click()
    assert "It is disconnected at once" in asked[-1]
    assert demo_host.replica.state.revoked(device)
    run(until(lambda: judge.status.state == "refused"))
    run(until(lambda: column(window.devices.table, 3) == ["✕ Revoked"]))
    assert not window.devices.revoke_buttons[device].isEnabled()
    assert window.online_pill.text() == "● 0 devices online"


def test_last_seen_is_counted_on_the_consoles_clock(
    demo_host: DemoHost,
    window: HostWindow,
    clock: FakeClock,
    peer: MakePeer,
    run: Run,
) -> None:
    judge = joined_judge(demo_host, peer, run)
    window.show_page("Devices")
    run(until(lambda: column(window.devices.table, 5) == ["now"]))
    run(judge.stop())
    run(until(lambda: window.online_pill.text() == "● 0 devices online"))
    seen = demo_host.replica.seen_devices()[judge.replica.device_id]["last_seen_ms"]
    clock.ms = seen + (3 * 60 + 20) * 1000  # three minutes and a bit after the last contact
    window.refresh_devices()
    assert column(window.devices.table, 5) == ["3 min ago"]
    clock.advance(seconds=2 * 3600)
    window.refresh_devices()
    assert column(window.devices.table, 5) == ["2 h 3 min ago"]


def test_the_page_counts_ages_at_the_time_in_its_view_and_asks_to_revoke(
    qtbot: QtBot, asked: list[str]
) -> None:
    page = DevicesPage()
    qtbot.addWidget(page)
    page.show_devices(model.devices_view([], 0))
    assert not page.empty.isHidden()
    rows = [device_row(), device_row(device="dev-2", label="Old laptop", revoked=True)]
    page.show_devices(model.devices_view(rows, 1_000_000 + 200_000))
    assert page.empty.isHidden()
    assert column(page.table, 5) == ["3 min ago", "3 min ago"]
    assert column(page.table, 3) == ["○ Offline", "✕ Revoked"]
    assert page.summary.text() == (
        "0 online · 1 offline · 1 revoked · 2 ops unsent at last contact"
    )
    page.show_devices(model.devices_view(rows, 1_000_000 + 2 * 3_600_000))
    assert column(page.table, 5)[0] == "2 h 0 min ago"
    assert not page.revoke_buttons["dev-2"].isEnabled()
    with qtbot.waitSignal(page.revoke_requested) as signal:
        page.revoke_buttons["dev-1"].click()
    assert signal.args == ["dev-1", "Ada's laptop"]
    assert asked[-1].startswith("Revoke Ada's laptop (Judge, Ada Brennan)?")
