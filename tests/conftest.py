"""Shared fixtures and factories: signed ops of a fake device and states folded from them."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest

from storage.ops import Op, parse_op
from storage.signing import DeviceKey, signing_payload
from storage.state import State
from tests.blocking import no_blocking_in_loop
from tests.kit import BASE_MS


class OpFactory:
    """Make signed ops of one device: `n` counts from 1 without gaps, stamps go up 1 ms each.

    `seed` makes the key and device id deterministic (for hypothesis); without it both are random.
    """

    # Every factory's stamps start from the kit's fixed wall clock.
    BASE_MS = BASE_MS

    @staticmethod
    def stamp(ms: int, device: str, counter: int = 0) -> str:
        """Return the HLC text of wall clock `ms`, `counter` and `device`."""
        return f"{ms:013d}.{counter:04d}.{device}"

    def __init__(
        self,
        author: str = "admin",
        *,
        device: str | None = None,
        key: DeviceKey | None = None,
        seed: int | None = None,
        start_ms: int | None = None,
    ) -> None:
        if key is None:
            key = (
                DeviceKey.generate()
                if seed is None
                else DeviceKey.from_private_bytes(bytes([seed % 256]) * 32)
            )
        if device is None:
            device = str(uuid.uuid4()) if seed is None else str(uuid.UUID(int=seed, version=4))
        self.key = key
        self.device = device
        self.author = author
        self.n = 0
        self.ms = self.BASE_MS if start_ms is None else start_ms

    def wire(
        self,
        kind: str,
        body: dict[str, Any],
        *,
        author: str | None = None,
        n: int | None = None,
        ms: int | None = None,
        counter: int = 0,
    ) -> dict[str, Any]:
        """Return the next op as a signed wire object; explicit `n`/`ms` leave the counters be."""
        if n is None:
            self.n += 1
            n = self.n
        if ms is None:
            self.ms += 1
            ms = self.ms
        wire: dict[str, Any] = {
            "id": f"{self.device}/{n}",
            "device": self.device,
            "n": n,
            "hlc": self.stamp(ms, self.device, counter),
            "author": self.author if author is None else author,
            "kind": kind,
            "body": body,
        }
        wire["sig"] = self.key.sign(signing_payload(wire))
        return wire

    def op(self, kind: str, body: dict[str, Any], **kwargs: Any) -> Op:
        """Return the next op, parsed as a host would parse it off the wire."""
        return parse_op(self.wire(kind, body, **kwargs))


def _fold(ops: Iterable[Op], state: State | None = None) -> State:
    state = State() if state is None else state
    for op in ops:
        state.apply(op)
    return state


@pytest.fixture(scope="session")
def fold() -> Callable[..., State]:
    """A function that applies ops to a state (a new one by default) and returns it."""
    return _fold


@pytest.fixture(scope="session")
def op_factory() -> type[OpFactory]:
    """The OpFactory class, for tests that need several devices (session scope: hypothesis-safe)."""
    return OpFactory


@pytest.fixture
def admin_ops() -> OpFactory:
    """A factory of ops made on the host's own console, authored by `admin`."""
    return OpFactory("admin")


@pytest.fixture
def judge_ops() -> OpFactory:
    """A factory of ops made on judge `j1`'s laptop."""
    return OpFactory("j1")


@pytest.fixture(autouse=True)
def _no_blocking_in_loop() -> Iterator[None]:
    """Fail a test whose product code blocks a running event loop (see tests/blocking.py)."""
    with no_blocking_in_loop():
        yield
