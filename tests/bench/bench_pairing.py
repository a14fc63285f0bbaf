"""Pair N devices with one judge's code and N displays over loopback; print what got in, how
long it took, and how the next judge's backlog grew (issue 15 item 13)."""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from storage.demo import seed_demo
from storage.replica import Replica
from storage.signing import DeviceKey
from sync.server import HostConfig, HostServer


async def hello(url: str, code: str) -> tuple[bool, int]:
    """Pair one new device; return (welcomed, ops in the backlog it was sent)."""
    message = {
        "type": "hello",
        "protocol": 1,
        "device": str(uuid.uuid4()),
        "code": code,
        "pubkey": DeviceKey.generate().public_b64,
        "vv": {},
    }
    async with connect(url, compression=None, proxy=None) as ws:
        await ws.send(json.dumps(message))
        try:
            first: dict[str, Any] = json.loads(await ws.recv())
            if first["type"] != "welcome":
                return False, 0
            ops = 0
            while True:
                frame = json.loads(await ws.recv())
                if frame["type"] == "ops":
                    ops += len(frame["ops"])
                    if frame["vv"]:
                        return True, ops
                else:
                    return True, ops
        except ConnectionClosed:
            return False, 0


async def main(count: int) -> None:
    """Run the scenario on a demo host in a temporary folder."""
    with tempfile.TemporaryDirectory() as folder:
        replica = Replica.open(Path(folder) / "host.db")
        seed_demo(replica)
        config = HostConfig(bind="127.0.0.1", port=0, secure=False, advertise=False)
        server = HostServer(replica, config)
        await server.start()
        codes = {(c["role"], c["id"]): c["code"] for c in replica.join_codes()}
        try:
            start = time.perf_counter()
            judged = [await hello(server.url, codes[("judge", "judge-ada")]) for _ in range(count)]
            judge_s = time.perf_counter() - start
            _, backlog_before = await hello(server.url, codes[("judge", "judge-bao")])
            start = time.perf_counter()
            shown = [await hello(server.url, codes[("display", None)]) for _ in range(count)]
            display_s = time.perf_counter() - start
            _, backlog_after = await hello(server.url, codes[("judge", "judge-carmen")])
        finally:
            await server.stop()
            replica.close()
    print(
        json.dumps(
            {
                "judge_code_devices_tried": count,
                "judge_code_devices_welcomed": sum(ok for ok, _ in judged),
                "judge_code_seconds": round(judge_s, 2),
                "displays_welcomed": sum(ok for ok, _ in shown),
                "displays_seconds": round(display_s, 2),
                "next_judge_backlog_before_displays": backlog_before,
                "next_judge_backlog_after_displays": backlog_after,
            }
        )
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=300)
    asyncio.run(main(parser.parse_args().count))
