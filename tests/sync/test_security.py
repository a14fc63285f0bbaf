"""Pairing and access under attack: how many code guesses an attacker gets, and what leaks."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from storage.codes import ALPHABET, LENGTH, new_code, show
from storage.signing import DeviceKey
from sync.hostcore import Close, HostCore, Send
from sync.messages import rejoin_payload
from tests.kit import FakeClock, demo_replica, hello, run, served_demo

MINUTE_MS = 60_000
# Where this module's host clock starts (2027): HostCore's `now`, moved by hand.
START_MS = 1_800_000_000_000


@pytest.fixture
def core(tmp_path: Path) -> Iterator[tuple[HostCore, FakeClock]]:
    replica, _ = demo_replica(tmp_path / "host.db", durable=False)
    clock = FakeClock(START_MS)
    yield HostCore(replica, now=clock), clock
    replica.close()


def _guess(core: HostCore, address: str, code: str) -> str:
    """Try one join code from `address`; return the error code, or "welcome"."""
    session = core.open(address)
    assert session is not None
    greeting = hello(str(uuid.uuid4()), code=code, key=DeviceKey.generate())
    actions = core.receive(session, json.dumps(greeting))
    frames = [json.loads(a.frame) for a in actions if isinstance(a, Send)]
    if any(f["type"] == "welcome" for f in frames):
        core.close(session)
        return "welcome"
    assert any(isinstance(a, Close) for a in actions)
    core.close(session)
    return next(f["code"] for f in frames if f["type"] == "error")


def _wrong_code(core: HostCore) -> str:
    while True:
        code = new_code()
        if core.replica.find_code(code) is None:
            return show(code)


def guesses_per_minute(core: HostCore, clock: FakeClock, addresses: list[str]) -> int:
    """Guess as fast as possible for one minute; return how many guesses were checked."""
    checked = 0
    end = clock.ms + MINUTE_MS
    while clock.ms < end:
        for address in addresses:
            if _guess(core, address, _wrong_code(core)) == "unauthorized":
                checked += 1
        clock.ms += 50  # 20 attempts a second from each address: far faster than allowed
    return checked


def test_one_address_gets_10_guesses_a_minute(core: tuple[HostCore, FakeClock]) -> None:
    host, clock = core
    assert guesses_per_minute(host, clock, ["10.0.0.66"]) == 10


def test_many_addresses_together_get_60_guesses_a_minute(
    core: tuple[HostCore, FakeClock],
) -> None:
    host, clock = core
    attackers = [f"10.0.1.{i}" for i in range(1, 41)]  # 40 spoofed or borrowed addresses
    assert guesses_per_minute(host, clock, attackers) == 60


def test_a_right_code_is_refused_while_the_venue_is_locked_out_then_works(
    core: tuple[HostCore, FakeClock],
) -> None:
    host, clock = core
    for i in range(60):
        _guess(host, f"10.0.2.{i}", _wrong_code(host))
    right = host.replica.code_for("judge", "judge-ada")
    assert right is not None
    assert _guess(host, "10.0.3.1", right) == "too_many_attempts"
    clock.ms += MINUTE_MS + 1
    assert _guess(host, "10.0.3.1", right) == "welcome"


def test_the_code_space_makes_guessing_hopeless_at_that_rate() -> None:
    space = len(ALPHABET) ** LENGTH
    assert space > 5 * 10**11
    # 60 guesses a minute for a 12-hour event against 100 valid codes:
    chance = 60 * 60 * 12 * 100 / space
    assert chance < 1e-5


# --- rejoining a host that holds no token for a paired device (a rebuilt host) ------------------


def _paired_device(core: HostCore, judge: str = "judge-ada") -> tuple[str, DeviceKey]:
    """Pair a new device as `judge` with its code; return its id and key."""
    device, key = str(uuid.uuid4()), DeviceKey.generate()
    code = core.replica.code_for("judge", judge)
    session = core.open("10.0.5.1")
    assert session is not None
    actions = core.receive(session, json.dumps(hello(device, code=code, key=key)))
    assert any(json.loads(a.frame)["type"] == "welcome" for a in actions if isinstance(a, Send))
    core.close(session)
    return device, key


def _token_hello(core: HostCore, device: str, address: str = "10.0.5.2") -> tuple[Any, dict]:
    """Say hello with a token this host never issued; return the session and its answer."""
    session = core.open(address)
    assert session is not None
    actions = core.receive(session, json.dumps(hello(device, token="t" * 43, vv={})))
    (answer,) = [json.loads(a.frame) for a in actions if isinstance(a, Send)]
    return session, answer


def _prove(core: HostCore, session: Any, sig: str) -> tuple[list[dict], list[int]]:
    actions = core.receive(session, json.dumps({"type": "prove", "sig": sig}))
    frames = [json.loads(a.frame) for a in actions if isinstance(a, Send)]
    return frames, [a.code for a in actions if isinstance(a, Close)]


def test_a_paired_device_without_a_valid_token_rejoins_by_signing_the_challenge(
    core: tuple[HostCore, FakeClock],
) -> None:
    host, _ = core
    device, key = _paired_device(host)
    session, challenge = _token_hello(host, device)
    assert challenge["type"] == "challenge"
    assert challenge["host"] == host.replica.device_id
    assert not session.authenticated
    payload = rejoin_payload(device, challenge["host"], challenge["nonce"], host.fingerprint)
    frames, closes = _prove(host, session, key.sign(payload))
    assert not closes
    assert frames[0]["type"] == "welcome"
    assert (frames[0]["role"], frames[0]["subject"]) == ("judge", "judge-ada")
    assert host.replica.token_device(frames[0]["token"]) == device  # a fresh token, kept


@pytest.mark.parametrize("forgery", ["other key", "other host", "other certificate", "replay"])
def test_a_proof_by_any_other_key_host_certificate_or_challenge_is_refused(
    tmp_path: Path, forgery: str
) -> None:
    replica, _ = demo_replica(tmp_path / "host.db", durable=False)
    clock = FakeClock(START_MS)
    host = HostCore(replica, now=clock, fingerprint="ab" * 32)
    try:
        device, key = _paired_device(host)
        old_session, old = _token_hello(host, device)
        host.close(old_session)
        session, challenge = _token_hello(host, device)
        nonce, host_id, fingerprint = challenge["nonce"], challenge["host"], host.fingerprint
        signer = key
        if forgery == "other key":
            signer = DeviceKey.generate()  # the device id and public key are public; not this
        elif forgery == "other host":
            host_id = str(uuid.uuid4())
        elif forgery == "other certificate":
            fingerprint = "cd" * 32  # a proof given to someone relaying under their own cert
        else:
            nonce = old["nonce"]  # a proof made for an earlier challenge
        frames, closes = _prove(
            host, session, signer.sign(rejoin_payload(device, host_id, nonce, fingerprint))
        )
        assert closes == [4401]
        assert [f["code"] for f in frames if f["type"] == "error"] == ["unauthorized"]
        assert not session.authenticated
        assert host.throttle.blocked("10.0.5.2", clock.ms) is False  # one failure: not yet
    finally:
        replica.close()


def test_proofs_are_throttled_like_codes(core: tuple[HostCore, FakeClock]) -> None:
    host, clock = core
    device, _ = _paired_device(host)
    refused = 0
    for _ in range(30):
        session, answer = _token_hello(host, device, "10.0.6.1")
        if answer["type"] != "challenge":
            assert answer["code"] == "too_many_attempts"
            refused += 1
            host.close(session)
            continue
        _prove(host, session, DeviceKey.generate().sign(b"nothing"))
        host.close(session)
        clock.ms += 100
    assert refused == 20  # 10 wrong proofs a minute from one address, as for codes


def test_no_challenge_for_a_revoked_or_unknown_device_nor_a_proof_unasked(
    core: tuple[HostCore, FakeClock],
) -> None:
    host, _ = core
    device, _ = _paired_device(host)
    host.revoke(device)
    _, answer = _token_hello(host, device)
    assert (answer["type"], answer["code"]) == ("error", "revoked")
    _, answer = _token_hello(host, str(uuid.uuid4()))
    assert (answer["type"], answer["code"]) == ("error", "unauthorized")
    session = host.open("10.0.5.9")
    assert session is not None
    frames, closes = _prove(host, session, "AAAA")
    assert closes == [4400]
    assert frames[0]["code"] == "bad_request"


# --- join codes pair a bounded number of devices (issue 15 item 13), over a real socket -------


async def _raw_hello(
    url: str, code: str, device: str | None = None, key: DeviceKey | None = None
) -> tuple[list[dict[str, Any]], int | None]:
    """Pair one device with a raw websockets hello; return what the host sent and its close
    code (None when the host kept the link open: the device was welcomed)."""
    greeting = hello(device or str(uuid.uuid4()), code=code, key=key or DeviceKey.generate(), vv={})
    received: list[dict[str, Any]] = []
    async with connect(url, compression=None, proxy=None, open_timeout=10) as ws:
        await ws.send(json.dumps(greeting))
        try:
            while True:
                message = json.loads(await asyncio.wait_for(ws.recv(), 2))
                received.append(message)
                if message["type"] == "welcome":
                    # The backlog and board follow the welcome at once; read what is there.
                    with suppress(TimeoutError):
                        while True:
                            received.append(json.loads(await asyncio.wait_for(ws.recv(), 0.3)))
                    return received, None
        except ConnectionClosed as exc:
            return received, exc.rcvd.code if exc.rcvd else None
    raise AssertionError("unreachable")


def _welcomed(received: list[dict[str, Any]]) -> bool:
    return any(message["type"] == "welcome" for message in received)


def test_a_judge_code_pairs_two_devices_and_the_third_is_refused_until_allowed(
    tmp_path: Path,
) -> None:
    """Before: 300 devices paired with one judge's code; now the 3rd gets 4401, used up."""

    async def scenario() -> None:
        async with served_demo(tmp_path) as (server, codes):
            code = codes[("judge", "judge-ada")]
            first_key, first = DeviceKey.generate(), str(uuid.uuid4())
            assert _welcomed((await _raw_hello(server.url, code, first, first_key))[0])
            assert _welcomed((await _raw_hello(server.url, code))[0])
            for _ in range(10):  # bounded: each further device is refused the same way
                received, close = await _raw_hello(server.url, code)
                assert close == 4401
                error = received[-1]
                assert error["type"] == "error"
                assert error["code"] == "unauthorized"
                assert "used up" in error["message"]
                assert "allow another device" in error["message"]
            # The laptop paired first comes back with its own code (say, after a reset).
            assert _welcomed((await _raw_hello(server.url, code, first, first_key))[0])
            # Another judge's code is not used up by this one's.
            assert _welcomed((await _raw_hello(server.url, codes[("judge", "judge-bao")]))[0])
            server.replica.allow_another_device(code)  # the organiser approves one more
            assert _welcomed((await _raw_hello(server.url, code))[0])
            assert (await _raw_hello(server.url, code))[1] == 4401
            paired = [d for _, d in server.replica.state.live("device/") if d["role"] == "judge"]
            assert len([d for d in paired if d["subject"] == "judge-ada"]) == 3

    run(scenario())


def test_a_team_code_pairs_as_many_devices_as_the_team_has_members(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with served_demo(tmp_path) as (server, codes):
            members = len(server.replica.state.team("team-aurora")["members"])  # type: ignore[index]
            assert members == 3
            code = codes[("team", "team-aurora")]
            for _ in range(members):
                assert _welcomed((await _raw_hello(server.url, code))[0])
            received, close = await _raw_hello(server.url, code)
            assert close == 4401
            assert "used up" in received[-1]["message"]

    run(scenario())


def test_display_codes_stay_multi_use_and_50_displays_add_nothing_to_a_judges_backlog(
    tmp_path: Path,
) -> None:
    """Before: each display added a device.put op to the backlog of every judge to come."""

    async def scenario() -> None:
        async with served_demo(tmp_path) as (server, codes):
            judge_code = codes[("judge", "judge-ada")]
            before, _ = await _raw_hello(server.url, judge_code)
            host_vv = server.replica.vv()
            displays = []
            for _ in range(2):  # in waves within one address's share of unpaired slots (32)
                displays += await asyncio.gather(
                    *(_raw_hello(server.url, codes[("display", None)]) for _ in range(25))
                )
            assert all(_welcomed(received) for received, _ in displays)
            assert all(close is None for _, close in displays)
            assert server.replica.vv() == host_vv  # no op was made for any display
            after, _ = await _raw_hello(server.url, judge_code)
            ops_before = [op for msg in before if msg["type"] == "ops" for op in msg["ops"]]
            ops_after = [op for msg in after if msg["type"] == "ops" for op in msg["ops"]]
            # The second judge's backlog holds the first judge's device.put and its own: no
            # op of any display.
            assert len(ops_after) == len(ops_before) + 1
            assert not [op for op in ops_after if op["body"].get("role") == "display"]
            # A display comes back with its token, and the console lists every display.
            welcome = next(msg for msg in displays[0][0] if msg["type"] == "welcome")
            assert welcome["role"] == "display"
            listed = server.replica.display_devices()
            assert len(listed) == 50

    run(scenario())
