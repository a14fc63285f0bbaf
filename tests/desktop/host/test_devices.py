"""Tests for the Devices page, driven through its widgets against a real demo host."""

from __future__ import annotations

from desktop.host.window import HostWindow
from tests.desktop.conftest import DemoHost, until
from tests.desktop.host.conftest import MakePeer, Run, column, joined_judge


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
