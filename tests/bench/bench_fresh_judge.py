"""The host's CPU for one fresh judge's pairing at the 3,000-team event, in one process.

    PYTHONPATH=. .venv/bin/python tests/bench/bench_fresh_judge.py [--size 3000x500] [--trials 7]
    PYTHONPATH=. .venv/bin/python tests/bench/bench_fresh_judge.py --profile tottime

bench_scale's event (built once through the real Replica, kept under --cache and copied for
each run), the real `HostCore` on it, and a fresh laptop of judge j00 paired by a `hello` with
its join code and an empty vv: the host's CPU time (`time.process_time`) and wall time for
`HostCore.receive` of that hello, which returns the welcome and every `ops` frame of the
backlog already encoded. No sockets: what the driver then writes is not counted. Prints the
median of `--trials` pairings (each a new laptop), the frames' bytes and count, and a sha256 of
the frames' text (two commits that send the same bytes print the same digest).

To compare two commits, run this same file with PYTHONPATH pointing at each, taking turns.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import pstats
import random
import shutil
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from bench_scale import build_event

import storage
from storage.replica import Replica
from storage.signing import DeviceKey
from sync import messages as m
from sync.hostcore import HostCore, Send

UNLIMITED = 1e9


def cached_event(cache: Path, teams: int, judges: int, seed: int) -> Path:
    """Return the path of the built event, building it the first time."""
    path = cache / f"event-{teams}x{judges}-{seed}.db"
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        partial = cache / f"building-{teams}x{judges}-{seed}.db"
        build_event(partial, teams, judges, seed)
        Replica.open(partial, durable=False).close()  # checkpoint the WAL into the file
        partial.rename(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", default="3000x500")
    parser.add_argument("--trials", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "tb-bench")
    parser.add_argument("--profile", nargs="?", const="tottime", default=None)
    args = parser.parse_args()
    teams, judges = (int(x) for x in args.size.split("x"))
    source = cached_event(args.cache, teams, judges, args.seed)
    with tempfile.TemporaryDirectory() as folder:
        host_path = Path(folder) / "host.db"
        shutil.copy(source, host_path)
        replica = Replica.open(host_path, durable=False)
        replica.ensure_codes()
        code = replica.code_for("judge", "j00")
        assert code is not None
        replica.set_device_limit(code, 1000)
        core = HostCore(replica, rate=UNLIMITED, burst=UNLIMITED)
        cpu, wall, size, frames, digest = [], [], 0, 0, ""
        rng = random.Random(f"fresh laptops {args.seed}")  # not the event's own keys
        profile = cProfile.Profile() if args.profile else None
        for k in range(args.trials + 1):  # the first warms the caches up, uncounted
            key = DeviceKey.from_private_bytes(rng.randbytes(32))
            device = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            hello = m.encode(m.hello(device, code=code, pubkey=key.public_b64, vv={}))
            session = core.open("127.0.0.1")
            if profile is not None and k == args.trials:
                profile.enable()
            c0, w0 = time.process_time(), time.perf_counter()
            actions = core.receive(session, hello)
            w1, c1 = time.perf_counter(), time.process_time()
            if profile is not None and k == args.trials:
                profile.disable()
            assert session.authenticated, actions
            sent = [a.frame for a in actions if isinstance(a, Send)]
            texts = [f if isinstance(f, str) else f.decode("utf-8") for f in sent]
            size = sum(len(t.encode("utf-8")) for t in texts)
            frames = len(texts)
            # The welcome's token and the laptop's own device.put differ per run: digest the rest.
            digest = hashlib.sha256("\n".join(texts[1:-1]).encode("utf-8")).hexdigest()[:16]
            core.close(session)
            if k:
                cpu.append(c1 - c0)
                wall.append(w1 - w0)
        replica.close()
    print(f"code: {Path(storage.__file__).parent.parent}; size {args.size}; trials {args.trials}")
    print(
        f"fresh judge pairing, host CPU median {statistics.median(cpu) * 1e3:.1f} ms"
        f" (min {min(cpu) * 1e3:.1f}), wall median {statistics.median(wall) * 1e3:.1f} ms"
    )
    print(f"frames {frames}, bytes {size:,}, digest of all but welcome and last {digest}")
    if profile is not None:
        pstats.Stats(profile).sort_stats(args.profile).print_stats(30)


if __name__ == "__main__":
    main()
