"""Tests for the Devices page, driven through its widgets against a real demo host."""

from __future__ import annotations

from desktop.host.window import HostWindow
from tests.desktop.conftest import DemoHost, until
from tests.desktop.host.conftest import FakeClock, MakePeer, Run, column, joined_judge


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
    clock.seconds = seen / 1000 + 3 * 60 + 20  # three minutes and a bit after the last contact
    window.refresh_devices()
    assert column(window.devices.table, 5) == ["3 min ago"]
    clock.seconds += 2 * 3600
    window.refresh_devices()
    assert column(window.devices.table, 5) == ["2 h 3 min ago"]
