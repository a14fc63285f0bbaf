"""SIGKILL the host or a peer at each commit boundary, restart it, and check nothing is lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest

from storage.boards import main_scoreboard
from storage.replica import Replica
from tests.kit import free_port

ROOT = Path(__file__).resolve().parents[2]
MAIN = ROOT / "main.py"
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
ENV.pop("TALLYBOARD_CRASH_AT", None)
HOST_POINTS = {"host_committed", "host_sent_ack"}
_OP_SQL = "SELECT id, device, n, hlc, author, kind, body, sig, status FROM op"


class Procs:
    """Processes started by one test; their output goes to files, and all are killed at the end."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.started: list[tuple[str, subprocess.Popen[bytes]]] = []
        self.files: list[IO[bytes]] = []

    def start(
        self, name: str, args: list[str], crash_at: str | None = None
    ) -> subprocess.Popen[bytes]:
        """Start `python main.py ARGS`, with TALLYBOARD_CRASH_AT set when `crash_at` is."""
        label = f"{name}-{len(self.started)}"
        out = (self.folder / f"{label}.out").open("wb")
        self.files.append(out)
        err = (self.folder / f"{label}.err").open("wb")
        self.files.append(err)
        env = dict(ENV) if crash_at is None else {**ENV, "TALLYBOARD_CRASH_AT": crash_at}
        popen = subprocess.Popen(
            [sys.executable, str(MAIN), *args],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
        )
        self.started.append((label, popen))
        return popen

    def describe(self) -> str:
        """Every process's exit status and output, for an assertion message."""
        parts = []
        for label, popen in self.started:
            out = (self.folder / f"{label}.out").read_text(errors="replace")[-2000:]
            err = (self.folder / f"{label}.err").read_text(errors="replace")[-4000:]
            parts.append(f"--- {label} (exit {popen.poll()})\n{out}\n--- stderr\n{err}")
        return "\n".join(parts)

    def wait_for_output(self, popen: subprocess.Popen[bytes], text: str, timeout: float) -> None:
        """Wait until the process has printed `text`, at most `timeout` s."""
        label = next(label for label, p in self.started if p is popen)
        deadline = time.monotonic() + timeout
        while text not in (self.folder / f"{label}.out").read_text(errors="replace"):
            if popen.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"{label} printed no {text!r}\n{self.describe()}")
            time.sleep(0.02)

    def wait(self, popen: subprocess.Popen[bytes], timeout: float) -> int:
        """Wait for the process's exit, at most `timeout` s; return its status."""
        try:
            return popen.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"still running after {timeout:g} s\n{self.describe()}") from None

    def close(self) -> None:
        """SIGKILL whatever still runs, reap it, and close the output files."""
        try:
            for _, popen in self.started:
                if popen.poll() is None:
                    popen.send_signal(signal.SIGKILL)
                popen.wait(10)
        finally:
            for handle in self.files:
                handle.close()


@pytest.fixture
def procs(tmp_path: Path) -> Iterator[Procs]:
    running = Procs(tmp_path)
    try:
        yield running
    finally:
        running.close()


def _ops(replica: Replica, device: str | None = None) -> list[tuple[Any, ...]]:
    sql, params = _OP_SQL, ()
    if device is not None:
        sql, params = sql + " WHERE device = ?", (device,)
    return list(replica.db.execute_sql(sql + " ORDER BY device, n", params).fetchall())


def check_invariants(host_db: Path, judge_dbs: list[Path]) -> None:
    """Assert that the stopped host and the judges' replicas agree after the crash and restart."""
    host = Replica.open(host_db, create=False)
    try:
        state = host.state
        keys = [(s["judge"], s["team"]) for s in state.sheets()]
        assert len(keys) == len(set(keys)), "duplicate (judge, team) sheets on the host"
        ids = [row[0] for row in _ops(host)]
        assert len(ids) == len(set(ids)), "an op id stored twice on the host"
        # The main board ranks on the event's criteria: the demo's prize criterion, which
        # rehearsed sheets score too, is not one (main_scoreboard).
        assert host.board.rows() == main_scoreboard(state).rows()
        assert judge_dbs
        for path in judge_dbs:
            judge = Replica.open(path, create=False)
            try:
                assert judge.pending_count() == 0, f"{path.name}: ops still pending"
                mine = _ops(judge, judge.device_id)
                assert mine, f"{path.name}: the judge made no op"
                assert _ops(host, judge.device_id) == mine, f"{path.name}: differs on the host"
                assert [r[2] for r in mine] == list(range(1, len(mine) + 1)), f"{path.name}: gaps"
                for row in _ops(judge):
                    if row[8] == "accepted":
                        stored = host.stored(row[0])
                        assert stored is not None, row[0]
                        assert stored.status == "accepted", row[0]
                (judge_id,) = {r[4] for r in mine}
                prefix = f"sheet/{judge_id}/"
                assert dict(judge.state.live_entries(prefix)) == dict(state.live_entries(prefix)), (
                    f"{judge_id}: the replica's sheets differ from the host's"
                )
            finally:
                judge.close()
    finally:
        host.close()


@pytest.mark.parametrize(
    "crash_at",
    [
        "peer_wrote_op",
        "peer_wrote_op:7",
        "host_committed",
        "host_committed:7",
        "host_sent_ack",
        "peer_recorded_ack",
    ],
)
def test_a_process_killed_at_a_commit_boundary_loses_and_repeats_nothing(
    procs: Procs, tmp_path: Path, crash_at: str
) -> None:
    db, port, data, codes = tmp_path / "host.db", free_port(), tmp_path / "judges", tmp_path / "c"
    host_args = ["host", "--headless", "--insecure", "--no-mdns", "--no-web", "--bind", "127.0.0.1"]
    host_args += ["--port", str(port), "--db", str(db)]
    on_host = crash_at.partition(":")[0] in HOST_POINTS
    host = procs.start("host", [*host_args, "--demo"], crash_at if on_host else None)
    procs.wait_for_output(host, "listening", 30)
    listed = subprocess.run(
        [sys.executable, str(MAIN), "codes", "--db", str(db)],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert listed.returncode == 0, listed.stderr
    codes.write_text(listed.stdout)
    rehearse_args = ["rehearse", "--codes", str(codes), "--data", str(data)]
    rehearse_args += ["--connect", f"127.0.0.1:{port}", "--insecure", "--timeout", "60"]
    rehearse = procs.start("rehearse", rehearse_args, None if on_host else crash_at)

    if on_host:
        assert procs.wait(host, 30) == -signal.SIGKILL, procs.describe()
        host = procs.start("host", host_args)
        procs.wait_for_output(host, "listening", 30)
    else:
        assert procs.wait(rehearse, 60) == -signal.SIGKILL, procs.describe()
        rehearse = procs.start("rehearse", rehearse_args)
    assert procs.wait(rehearse, 70) == 0, procs.describe()
    host.send_signal(signal.SIGTERM)
    assert procs.wait(host, 20) == 0, procs.describe()

    check_invariants(db, sorted(data.glob("judge-*.db")))
