"""Benchmark the host under hostile sockets (issue 15): its RSS and a judge's ack latency per flood.

The host and a legitimate judge run in their own processes (bench_sync's workers, one core
each); the attackers are raw blocking sockets on threads of this process, from other loopback
addresses (127.0.0.0/8). Each flood runs for a few seconds before and while the judge submits
one sheet at a time; the same judge's figures with no flood come first.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import os
import socket
import ssl
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bench_sync import Worker, percentile, raise_file_limit

from storage.signing import DeviceKey
from sync import tls

PING, TEXT = 0x9, 0x1
HOLD = 5.0  # seconds a socket may block before the attacker gives it up


# --- a hostile client on raw sockets -------------------------------------------------------------


def client_frame(opcode: int, payload: bytes) -> bytes:
    """Return one masked client frame (RFC 6455 section 5.2) of less than 64 KiB."""
    mask = os.urandom(4)
    size = len(payload)
    length = bytes([0x80 | size]) if size < 126 else bytes([0x80 | 126]) + size.to_bytes(2, "big")
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return bytes([0x80 | opcode]) + length + mask + masked


def open_socket(port: int, local: str, *, secure: bool, upgrade: bool) -> socket.socket:
    """Connect from `local`; with `secure`, do TLS; with `upgrade`, open the WebSocket."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # a small window: fills fast
    sock.bind((local, 0))
    sock.settimeout(HOLD)
    sock.connect(("127.0.0.1", port))
    if secure:
        sock = tls.client_context().wrap_socket(sock)
    if upgrade:
        key = base64.b64encode(os.urandom(16)).decode()
        sock.sendall(
            f"GET /sync HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n".encode()
        )
        response = b""
        while not response.endswith(b"\r\n\r\n"):  # read the 101 and nothing after it
            byte = sock.recv(1)
            if not byte:
                raise ConnectionResetError("closed during the upgrade")
            response += byte
    return sock


def read_message(sock: socket.socket) -> dict[str, Any]:
    """Read one unfragmented text frame from the host and parse it."""

    def exactly(n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = sock.recv(n - len(data))
            if not chunk:
                raise ConnectionResetError("closed")
            data += chunk
        return data

    head = exactly(2)
    size = head[1] & 0x7F
    if size == 126:
        size = int.from_bytes(exactly(2), "big")
    elif size == 127:
        size = int.from_bytes(exactly(8), "big")
    return dict(json.loads(exactly(size)))


def pair_display(port: int, code: str) -> tuple[str, str]:
    """Pair a new display device with the display code; return its device id and token."""
    device, key = str(uuid.uuid4()), DeviceKey.generate()
    sock = open_socket(port, "127.0.0.1", secure=True, upgrade=True)
    hello = {"type": "hello", "protocol": 1, "device": device, "code": code}
    sock.sendall(client_frame(TEXT, json.dumps({**hello, "pubkey": key.public_b64}).encode()))
    welcome = read_message(sock)
    sock.close()
    assert welcome["type"] == "welcome", welcome
    return device, str(welcome["token"])


def closed_by_host(sock: socket.socket) -> bool:
    """Tell whether the host closed `sock`, reading (and dropping) what it sent."""
    sock.setblocking(False)
    try:
        return sock.recv(65536) == b""
    except (BlockingIOError, ssl.SSLWantReadError):
        return False
    except OSError:
        return True
    finally:
        sock.settimeout(HOLD)


@dataclass
class Flood:
    """Attack threads that run until `stop`, and what they saw."""

    port: int
    stop: threading.Event = field(default_factory=threading.Event)
    threads: list[threading.Thread] = field(default_factory=list)
    opened: int = 0  # connections the attack made
    cut: int = 0  # connections the host closed or shed
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, opened: int = 0, cut: int = 0) -> None:
        with self.lock:
            self.opened += opened
            self.cut += cut

    def start(self, target: Callable[..., None], *args: Any) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        thread.start()
        self.threads.append(thread)

    def halt(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(30)

    # the attacks

    def idle_before_hello(self, addresses: list[str]) -> None:
        """Hold one upgraded wss socket per entry of `addresses`, never saying hello; reopen."""
        slots: list[socket.socket | None] = [None] * len(addresses)
        while not self.stop.is_set():
            for i, sock in enumerate(slots):
                if sock is not None and not closed_by_host(sock):
                    continue
                if sock is not None:
                    sock.close()
                    self.count(cut=1)
                try:
                    slots[i] = open_socket(self.port, addresses[i], secure=True, upgrade=True)
                    self.count(opened=1)
                except OSError:
                    slots[i] = None
                    self.count(opened=1, cut=1)  # shed during its own handshake
            self.stop.wait(0.02)
        for sock in slots:
            if sock is not None:
                sock.close()

    def ping_flood(self, local: str, hello: dict[str, Any] | None) -> None:
        """Send pings and never read (after a hello, when given); reconnect when cut off."""
        batch = client_frame(PING, b"p" * 125) * 64
        while not self.stop.is_set():
            try:
                sock = open_socket(self.port, local, secure=True, upgrade=True)
            except OSError:
                continue
            self.count(opened=1)
            try:
                if hello is not None:
                    sock.sendall(client_frame(TEXT, json.dumps(hello).encode()))
                while not self.stop.is_set():
                    sock.sendall(batch)
            except OSError:
                self.count(cut=1)
            finally:
                sock.close()

    def tcp_waves(self, addresses: list[str], wave: int) -> None:
        """Open `wave` TCP sockets that never start TLS, hold them 1 s, drop them; again."""
        while not self.stop.is_set():
            held = []
            for i in range(wave):
                with contextlib.suppress(OSError):  # refused or timed out: the wave goes on
                    address = addresses[i % len(addresses)]
                    held.append(open_socket(self.port, address, secure=False, upgrade=False))
            self.count(opened=len(held))
            self.stop.wait(1.0)
            self.count(cut=sum(1 for sock in held if closed_by_host(sock)))
            for sock in held:
                sock.close()


# --- the runs ------------------------------------------------------------------------------------


def loopback(first: int, count: int) -> list[str]:
    """Return `count` loopback addresses 127.0.<first>.1, .2, ..."""
    return [f"127.0.{first}.{1 + i}" for i in range(count)]


def run_floods(args: argparse.Namespace) -> list[dict[str, Any]]:
    """Measure the judge with no flood, then during each flood; return one row each."""
    host, peers = Worker("host", 0), Worker("peers", 1)
    rows: list[dict[str, Any]] = []
    try:
        tally = host("start_tally", secure=True, board_interval=0.05, judges=1)
        port = int(tally["target"].split(":")[1])
        peers(
            "open_judges",
            url=tally["url"],
            codes=tally["judges"],
            judge_ids=tally["judge_ids"],
            group="j",
        )
        devices = [pair_display(port, tally["display"]) for _ in range(args.flooders)]
        floods: list[tuple[str, Callable[[Flood], None]]] = [
            ("no flood", lambda f: None),
            (
                "80 idle pre-hello wss sockets, 1 address",
                lambda f: f.start(f.idle_before_hello, ["127.0.2.1"] * 80),
            ),
            (
                "80 idle pre-hello wss sockets, 8 addresses",
                lambda f: f.start(f.idle_before_hello, loopback(3, 8) * 10),
            ),
            (
                f"ping flood, no hello, {args.flooders} sockets",
                lambda f: [f.start(f.ping_flood, a, None) for a in loopback(4, args.flooders)],
            ),
            (
                f"ping flood, paired displays, {args.flooders} sockets",
                lambda f: [
                    f.start(
                        f.ping_flood,
                        a,
                        {"type": "hello", "protocol": 1, "device": d, "token": t, "vv": {}},
                    )
                    for a, (d, t) in zip(loopback(5, args.flooders), devices, strict=True)
                ],
            ),
            (
                f"idle TCP before TLS, waves of {args.wave}, 50 addresses",
                lambda f: [
                    f.start(f.tcp_waves, loopback(6 + k, 50), args.wave // 4) for k in range(4)
                ],
            ),
        ]
        for name, begin in floods:
            print(f"measuring: {name}...", file=sys.stderr, flush=True)
            flood = Flood(port)
            begin(flood)
            time.sleep(args.build_up if flood.threads else 0)
            ms = peers("ack_trials", count=args.acks, warmup=10, teams=tally["teams"], group="j")
            memory = host("memory")
            flood.halt()
            rows.append(
                {
                    "name": name,
                    "ms": ms,
                    "rss_kb": memory["rss_kb"],
                    "opened": flood.opened,
                    "cut": flood.cut,
                }
            )
        peers("close")
        host("stop")
    finally:
        peers.close()
        host.close()
    return rows


def measure_idle_tls(n: int, trace: bool = False) -> dict[str, Any]:
    """Host RSS per idle wss connection: Tallyboard's host and a bare websockets.serve(ssl=...).

    With `trace`, also where the host's Python allocations per connection went (tracemalloc,
    which slows the host and misses what OpenSSL allocates: the RSS figure is the one to go by).
    """
    host, peers = Worker("host", 0), Worker("peers", 1)
    traced = ""
    try:
        tally = host("start_tally", secure=True, board_interval=0.05, judges=0)
        raw = host("start_raw", secure=True)
        before = host("memory")
        if trace:
            host("trace", on=True)
        peers("open_displays", url=tally["url"], n=n, code=tally["display"], group="tally")
        if trace:
            traced = host("trace", on=False, per=n)
        middle = host("memory")
        peers("open_displays", url=raw["url"] + "/display", n=n, code=None, group="raw")
        after = host("memory")
        peers("close")
        host("stop")
    finally:
        peers.close()
        host.close()
    return {
        "tally": (middle["rss_kb"] - before["rss_kb"]) / n,
        "raw": (after["rss_kb"] - middle["rss_kb"]) / n,
        "traced": traced,
    }


def main() -> None:
    """Run every flood and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--acks", type=int, default=300, help="sheets the judge submits per flood")
    parser.add_argument("--flooders", type=int, default=8, help="sockets of each ping flood")
    parser.add_argument("--wave", type=int, default=4000, help="TCP sockets per wave")
    parser.add_argument("--build-up", type=float, default=3.0, help="seconds before measuring")
    parser.add_argument("--idle", type=int, default=1000, help="idle wss connections for KB/conn")
    parser.add_argument("--trace", action="store_true", help="tracemalloc of the idle connections")
    parser.add_argument("--only-idle", action="store_true", help="measure KB/conn, no floods")
    args = parser.parse_args()
    raise_file_limit()
    started = time.perf_counter()
    per_conn = measure_idle_tls(args.idle, args.trace)
    print(f"\nhost RSS per idle wss connection ({args.idle} displays, after hello):")
    print(f"  Tallyboard host     {per_conn['tally']:6.1f} KB")
    print(f"  bare serve(ssl=...) {per_conn['raw']:6.1f} KB")
    if per_conn["traced"]:
        print(per_conn["traced"])
    if args.only_idle:
        return
    rows = run_floods(args)
    print(f"\na judge's sheet -> ack over wss, {args.acks} one at a time, during each flood:")
    print(f"{'flood':52} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} {'RSS MB':>7}  attack")
    for row in rows:
        ms = row["ms"]
        attack = f"{row['opened']} opened, {row['cut']} cut" if row["opened"] else ""
        print(
            f"{row['name']:52} {percentile(ms, 0.5):7.1f} {percentile(ms, 0.99):7.1f}"
            f" {max(ms):7.1f} {row['rss_kb'] / 1024:7.1f}  {attack}"
        )
    print(
        f"\npython {sys.version.split()[0]}, {os.cpu_count()} cores, host and judge pinned to one"
        f" core each, attackers unpinned; total {time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
