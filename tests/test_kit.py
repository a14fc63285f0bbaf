"""Tests of the test kit itself: its clock, and cleanup after a test that fails."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from sync.server import HostServer
from tests.kit import BASE_MS, Cleanup, FakeClock, closing, demo_replica, loopback, run


def test_the_fake_clock_moves_only_when_moved_or_by_its_tick() -> None:
    still = FakeClock()
    assert (still(), still()) == (BASE_MS, BASE_MS)
    still.advance(5, seconds=2)
    assert still() == BASE_MS + 2005
    assert still.seconds() == (BASE_MS + 2005) / 1000
    ticking = FakeClock(10, tick=1)
    assert (ticking(), ticking()) == (11, 12)
    ticking.sleep(0.0001)  # at least 1 ms, and noted
    assert (ticking.ms, ticking.sleeps) == (13, [0.0001])


def test_a_failing_test_still_stops_its_server_and_closes_its_replica(tmp_path: Path) -> None:
    opened: dict[str, object] = {}

    async def main(c: Cleanup) -> None:
        replica, _ = demo_replica(tmp_path / "host.db")
        c.replica(replica)
        server = await c.serve(HostServer(replica, loopback()))
        opened.update(replica=replica, port=server.port)
        raise AssertionError("a check that failed")

    with pytest.raises(AssertionError, match="a check that failed"):
        run(closing(main))
    replica = opened["replica"]
    assert replica.db.is_closed()  # type: ignore[attr-defined]
    with socket.socket() as probe:  # nobody listens on the port any more
        probe.bind(("127.0.0.1", int(opened["port"])))  # type: ignore[call-overload]
