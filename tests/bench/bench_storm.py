"""Benchmark a reconnection storm (issue 14): every judge and team device back at once.

A venue's Wi-Fi comes back: 500 judges' laptops and 3,000 team devices, all paired before,
reconnect to the host over wss within the same moment, each from its own loopback address,
each with its token (judges with their vv), retrying shed or failed attempts with the peer's
own backoff (`sync.peer.Backoff`). Meanwhile a few judges who stayed online save one sheet
after another; their ack latency shows whether acks wait behind the storm's welcomes.

The host runs in one process (pinned to core 0); the storm's clients in another and the online
judges in a third (both on core 1). Prints figures; asserts no time.

    PYTHONPATH=. .venv/bin/python tests/bench/bench_storm.py                  # 500 + 3,000
    PYTHONPATH=. .venv/bin/python tests/bench/bench_storm.py --judges 50 --teams 300
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import multiprocessing
import os
import pstats
import random
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from bench_sync import Signer, percentile, pin, raise_file_limit, rss_kb
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from storage.replica import Replica
from storage.signing import DeviceKey
from sync import messages as m
from sync import tls
from sync.peer import Backoff
from sync.server import HostConfig, HostServer

CRITERIA = ("c1", "c2", "c3", "c4", "c5")
OPEN_TIMEOUT = 10.0
DEADLINE = 90.0  # a storm client gives up after this many seconds: the bench stops by itself


def address(k: int) -> str:
    """Return the k-th client's own loopback address (127.1.0.1 on): one device, one address."""
    return f"127.{1 + k // 65024}.{(k // 254) % 256}.{1 + k % 254}"


# --- the host process ------------------------------------------------------------------------


def build_event(path: Path, judges: int, teams: int, online: int) -> dict[str, Any]:
    """Make the event with every device paired and its token issued; return what clients need."""
    replica = Replica.open(path, durable=False)  # setup only: the host reopens it durable
    for c, cid in enumerate(CRITERIA):
        replica.admin(
            "criterion.put",
            {"id": cid, "name": cid, "weight": 1, "min": 0, "max": 10, "step": 1, "order": c},
        )
    for t in range(teams):
        replica.admin("team.put", {"id": f"t{t:04d}", "name": f"Team {t:04d}", "members": []})
    devices: list[dict[str, Any]] = []
    signers: list[Signer] = []
    for j in range(judges + online):
        replica.admin("judge.put", {"id": f"j{j:03d}", "name": f"Judge {j:03d}", "conflicts": []})
        signers.append(Signer(f"j{j:03d}"))
    for k, signer in enumerate(signers):
        devices.append(_register(replica, signer.device, signer.key.public_b64, "judge", k))
    for t in range(teams):
        team = Signer()
        devices.append(_register(replica, team.device, team.key.public_b64, "team", t))
    replica.admin("event.set", {"field": "phase", "value": "scoring"})
    vv = replica.vv()
    admin_vv = {replica.device_id: vv[replica.device_id]}
    replica.close()
    keys = [s.key.private_bytes().hex() for s in signers]
    for device, key in zip(devices, keys, strict=False):
        device["key"] = key
    return {"devices": devices, "admin_vv": admin_vv, "online": online}


def _register(replica: Replica, device: str, pubkey: str, role: str, k: int) -> dict[str, Any]:
    subject = f"j{k:03d}" if role == "judge" else f"t{k:04d}"
    replica.admin(
        "device.put",
        {"device": device, "pubkey": pubkey, "role": role, "subject": subject, "name": "dev"},
    )
    return {
        "device": device,
        "role": role,
        "subject": subject,
        "token": replica.issue_token(device),
    }


async def serve_host(conn: Connection, path: str, profile: bool = False) -> None:
    """Serve the event until told to stop; answer memory and CPU questions meanwhile."""
    profiler = cProfile.Profile() if profile else None
    replica = Replica.open(path, exclusive=True)
    server = HostServer(replica, HostConfig(bind="127.0.0.1", port=0, secure=True, advertise=False))
    await server.start()
    loop = asyncio.get_running_loop()
    # When the host sent each welcome (perf_counter is one clock for every process here): the
    # host's own view, apart from the storm's clients, who share one core.
    welcomed: list[float] = []
    cpu_at: list[float] = []  # the host's CPU seconds at each welcome, in the same order
    admit = server.core._admit

    def timed_admit(*args: Any) -> Any:
        welcomed.append(time.perf_counter())
        cpu_at.append(time.process_time())
        return admit(*args)

    server.core._admit = timed_admit  # type: ignore[method-assign]
    conn.send({"url": server.url, "fingerprint": server.fingerprint})
    try:
        while True:
            name = await loop.run_in_executor(None, conn.recv)
            if name == "stop":
                break
            if name == "profile" and profiler is not None:
                profiler.enable()
                conn.send("profiling")
                continue
            conn.send(
                {
                    "cpu": time.process_time(),
                    "rss_kb": rss_kb(),
                    "sessions": len(server.core.sessions),
                    "shed": server.shed,
                    "welcomed": list(welcomed),
                    "cpu_at": list(cpu_at),
                }
            )
    finally:
        await server.stop()
        replica.close()
    if profiler is not None:
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(30)
        conn.send(out.getvalue())
    else:
        conn.send("stopped")


# --- the clients -----------------------------------------------------------------------------


def hello(device: dict[str, Any], vv: dict[str, int]) -> str:
    """Return a reconnecting device's hello: its token, and a judge's vv."""
    return m.encode(
        m.hello(device["device"], token=device["token"], vv=vv if device["role"] == "judge" else {})
    )


# One TLS client context for every device of the storm: each real device makes its own on its
# own CPU, but here 3,500 devices share one core, and 3,500 contexts cost it about 0.9 s of the
# storm's first seconds (0.24 ms each) that no host could have saved.
CLIENT_CONTEXT = tls.client_context()


async def reconnect(
    url: str, device: dict[str, Any], local: str, vv: dict[str, int], t0: float
) -> dict[str, Any]:
    """Reconnect one device until welcomed (a judge: and its backlog); return its figures."""
    backoff = Backoff(rng=random.Random(device["device"]))
    tries, errors = 0, []
    context = CLIENT_CONTEXT
    while time.perf_counter() - t0 < DEADLINE:
        tries += 1
        try:
            async with connect(
                url,
                ssl=context,
                compression=None,
                proxy=None,
                open_timeout=OPEN_TIMEOUT,
                ping_interval=None,
                max_size=m.MAX_FRAME,
                local_addr=(local, 0),
            ) as ws:
                await ws.send(hello(device, vv))
                welcome = json.loads(await asyncio.wait_for(ws.recv(), OPEN_TIMEOUT))
                if welcome.get("type") != "welcome":
                    raise RuntimeError(f"{welcome.get('type')}: {welcome.get('code')}")
                if device["role"] == "judge":
                    while (
                        json.loads(await asyncio.wait_for(ws.recv(), OPEN_TIMEOUT))["type"] != "ops"
                    ):
                        pass
                served = time.perf_counter() - t0
                await ws.close()
                return {"served": served, "tries": tries, "errors": errors}
        except (OSError, TimeoutError, ConnectionClosed, InvalidHandshake, RuntimeError) as exc:
            errors.append(
                type(exc).__name__
                if not isinstance(exc, ConnectionClosed)
                else f"close {exc.rcvd.code if exc.rcvd else None}"
            )
        await asyncio.sleep(backoff.next())
    return {"served": None, "tries": tries, "errors": errors}


async def storm(
    conn: Connection, url: str, devices: list[dict[str, Any]], vv: dict[str, int]
) -> None:
    """Reconnect every device at once, at the parent's word; send back each one's figures."""
    conn.recv()  # go
    t0 = time.perf_counter()
    conn.send(t0)
    results = await asyncio.gather(
        *(reconnect(url, d, address(k), vv, t0) for k, d in enumerate(devices))
    )
    conn.send(results)


async def online_judges(
    conn: Connection, url: str, devices: list[dict[str, Any]], vv: dict[str, int]
) -> None:
    """Keep judges online and saving sheets one after another until told to stop; send back
    each ack's latency in ms, with the time it was sent (seconds since the go)."""
    links = []
    for k, device in enumerate(devices):
        ws = await connect(
            url,
            ssl=tls.client_context(),
            compression=None,
            proxy=None,
            ping_interval=None,
            max_size=m.MAX_FRAME,
            local_addr=(address(60000 + k), 0),
        )
        await ws.send(hello(device, vv))
        while json.loads(await ws.recv())["type"] != "ops":
            pass
        key = DeviceKey.from_private_bytes(bytes.fromhex(device["key"]))
        signer = Signer(device["subject"], key=key, device=device["device"])
        links.append((ws, signer))
    conn.send("ready")
    conn.recv()  # go
    t0 = time.perf_counter()
    stop = asyncio.Event()
    acks: list[tuple[float, float]] = []
    rng = random.Random(7)

    async def save(ws: Any, signer: Signer) -> None:
        while not stop.is_set():
            team = f"t{rng.randrange(100):04d}"
            op = signer.sheet(team, {c: rng.randint(0, 10) for c in CRITERIA})
            sent = time.perf_counter()
            await ws.send(m.encode({"type": "submit", "ops": [op]}))
            while json.loads(await ws.recv())["type"] != "ack":
                pass
            acks.append((sent - t0, (time.perf_counter() - sent) * 1000))
            await asyncio.sleep(0.05)

    tasks = [asyncio.create_task(save(ws, s)) for ws, s in links]
    await asyncio.get_running_loop().run_in_executor(None, conn.recv)  # stop
    stop.set()
    await asyncio.gather(*tasks)
    for ws, _ in links:
        await ws.close()
    conn.send(acks)


def _child(conn: Connection, cpu: int, target: Callable[..., Any], *args: Any) -> None:
    raise_file_limit()
    pin(cpu)
    try:
        asyncio.run(target(conn, *args))
    except Exception:
        conn.send(("error", traceback.format_exc()))


def spawn(cpu: int, target: Callable[..., Any], *args: Any) -> tuple[Connection, Any]:
    """Start `target(conn, *args)` on its own event loop in a child process pinned to `cpu`."""
    context = multiprocessing.get_context("spawn")
    mine, theirs = context.Pipe()
    process = context.Process(target=_child, args=(theirs, cpu, target, *args), daemon=True)
    process.start()
    return mine, process


def expect(conn: Connection) -> Any:
    """Return what a child sent, or raise what it failed with."""
    got = conn.recv()
    if isinstance(got, tuple) and got and got[0] == "error":
        raise RuntimeError(got[1])
    return got


# --- the run ---------------------------------------------------------------------------------


def run(judges: int, teams: int, online: int, profile: bool = False) -> None:
    """Build the event, start the host, storm it, print the figures."""
    folder = Path(tempfile.mkdtemp(prefix="tallyboard-storm-"))
    processes = []
    try:
        built = time.perf_counter()
        event = build_event(folder / "host.db", judges, teams, online)
        print(
            f"event: {teams} teams, {judges} + {online} judges, built in"
            f" {time.perf_counter() - built:.1f} s",
            file=sys.stderr,
        )
        host, p = spawn(0, serve_host, str(folder / "host.db"), profile)
        processes.append(p)
        url = expect(host)["url"]
        devices, vv = event["devices"], event["admin_vv"]
        steady, stormers = devices[:online], devices[online:]
        judges_conn, p = spawn(1, online_judges, url, steady, vv)
        processes.append(p)
        expect(judges_conn)
        crowd, p = spawn(1, storm, url, stormers, vv)
        processes.append(p)
        host.send("stats")
        before = expect(host)
        if profile:
            host.send("profile")
            expect(host)
        judges_conn.send("go")
        time.sleep(1.0)  # the online judges' figures before the storm
        crowd.send("go")
        t0 = expect(crowd)
        results = expect(crowd)
        judges_conn.send("stop")
        acks = expect(judges_conn)
        host.send("stats")
        after = expect(host)
        host.send("stop")
        profiled = expect(host)
        report(results, stormers, acks, before, after)
        if profile:
            print(f"\nhost profile (cProfile, from just before the storm):\n{profiled}")
        stamps = [(t - t0, c) for t, c in zip(after["welcomed"], after["cpu_at"], strict=True)]
        host_side = sorted(t for t, _ in stamps if t >= 0)
        if host_side:
            print(
                f"host's welcomes of the storm: {len(host_side)}; first {host_side[0]:.2f} s,"
                f" median {percentile(host_side, 0.5):.2f} s, last {host_side[-1]:.2f} s"
            )
            # Whether the host or the storm's clients (3,500 on one shared core) held the first
            # welcome back: the host's CPU from the go to it, against the time it took.
            first_cpu = min(c for t, c in stamps if t >= 0) - before["cpu"]
            print(
                f"host CPU from the go to its first welcome of the storm: {first_cpu:.2f} s"
                f" of {host_side[0]:.2f} s (the rest it waited for the clients)"
            )
    finally:
        for p in processes:
            p.join(10)
            if p.is_alive():
                p.kill()
        shutil.rmtree(folder, ignore_errors=True)


def report(
    results: list[dict[str, Any]],
    devices: list[dict[str, Any]],
    acks: list[tuple[float, float]],
    before: dict[str, Any],
    after: dict[str, Any],
) -> None:
    """Print the storm's figures."""
    for role in ("judge", "team"):
        mine = [r for r, d in zip(results, devices, strict=True) if d["role"] == role]
        served = sorted(r["served"] for r in mine if r["served"] is not None)
        tries = sum(r["tries"] for r in mine)
        print(
            f"{role}s: {len(served)} of {len(mine)} served; first {served[0]:.2f} s,"
            f" median {percentile(served, 0.5):.2f} s, p99 {percentile(served, 0.99):.2f} s,"
            f" last {served[-1]:.2f} s; {tries} attempts"
            if served
            else f"{role}s: none served"
        )
    errors: dict[str, int] = {}
    for r in results:
        for e in r["errors"]:
            errors[e] = errors.get(e, 0) + 1
    print(f"failed attempts: {errors or 'none'}; host shed {after['shed'] - before['shed']}")
    storm_end = max((r["served"] or 0.0) for r in results) + 1.0
    during = [ms for at, ms in acks if 1.0 <= at <= storm_end]
    quiet = [ms for at, ms in acks if at < 1.0]
    for label, values in (("before the storm", quiet), ("during the storm", during)):
        if values:
            print(
                f"online judges' acks {label}: {len(values)}, p50 {percentile(values, 0.5):.1f}"
                f" ms, p99 {percentile(values, 0.99):.1f} ms, max {max(values):.1f} ms"
            )
    print(
        f"host CPU {after['cpu'] - before['cpu']:.1f} s; RSS {before['rss_kb'] / 1024:.0f} ->"
        f" {after['rss_kb'] / 1024:.0f} MB; python {sys.version.split()[0]},"
        f" {os.cpu_count()} cores"
    )


def main() -> None:
    """Parse the sizes and run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--judges", type=int, default=500)
    parser.add_argument("--teams", type=int, default=3000)
    parser.add_argument("--online", type=int, default=5, help="judges saving sheets meanwhile")
    parser.add_argument("--profile", action="store_true", help="cProfile the host's storm")
    args = parser.parse_args()
    raise_file_limit()
    run(args.judges, args.teams, args.online, args.profile)


if __name__ == "__main__":
    main()
