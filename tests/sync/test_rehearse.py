"""The host and rehearse commands as an organiser runs them: separate processes on loopback."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.demo import seed_demo
from storage.replica import Replica
from storage.sheets import on_scale, sheet_criteria
from sync.rehearse import rounds_to_score, sheet_scores
from tests.kit import free_port

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def cli(*args: str, timeout: float = 90) -> subprocess.CompletedProcess[str]:
    """Run `python main.py ARGS` to completion."""
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


class RunningHost:
    """A `main.py host --headless` process, started and read until it listens."""

    def __init__(self, db: Path, port: int, *extra: str) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "main.py"),
                "host",
                "--headless",
                "--no-mdns",
                "--no-web",  # the pages' default port would clash between runs side by side
                "--bind",
                "127.0.0.1",
                "--port",
                str(port),
                "--db",
                str(db),
                *extra,
            ],
            cwd=ROOT,
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.banner: list[str] = []
        for line in self.process.stdout:
            self.banner.append(line)
            if line.startswith("  join codes"):
                break
        else:
            self.process.kill()  # not left running behind a failed test
            _, err = self.process.communicate(timeout=20)
            raise AssertionError(f"host did not start: {err}")

    def stop(self, signum: int = signal.SIGTERM) -> tuple[int, str]:
        self.process.send_signal(signum)
        _, err = self.process.communicate(timeout=20)
        assert self.process.stdout is not None
        return self.process.returncode, err


@pytest.fixture
def host(tmp_path: Path) -> Iterator[tuple[RunningHost, Path, int]]:
    db, port = tmp_path / "host.db", free_port()
    running = RunningHost(db, port, "--demo")
    yield running, db, port
    if running.process.poll() is None:
        running.stop(signal.SIGKILL)


def test_host_prints_where_it_listens_and_its_fingerprint_and_stops_cleanly(
    host: tuple[RunningHost, Path, int],
) -> None:
    running, _, port = host
    banner = "".join(running.banner)
    assert f"wss://127.0.0.1:{port}/sync" in banner
    fingerprint = next(line.split()[-1] for line in running.banner if "fingerprint" in line)
    assert len(fingerprint) == 64
    code, err = running.stop(signal.SIGTERM)
    assert code == 0
    assert "Traceback" not in err
    assert "stopping" in err


def test_a_second_host_on_the_same_port_fails_with_one_clear_line(
    host: tuple[RunningHost, Path, int], tmp_path: Path
) -> None:
    _, _, port = host
    result = cli(
        "host",
        "--headless",
        "--no-mdns",
        "--bind",
        "127.0.0.1",
        "--port",
        str(port),
        "--db",
        str(tmp_path / "other.db"),
        timeout=30,
    )
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("tallyboard: error: cannot listen on 127.0.0.1:")
    assert "Traceback" not in result.stderr


def test_rehearsal_scores_every_allowed_team_once_and_resumes_without_repeating(
    host: tuple[RunningHost, Path, int], tmp_path: Path
) -> None:
    running, db, port = host
    codes = tmp_path / "codes.json"
    listed = cli("codes", "--db", str(db))
    assert listed.returncode == 0, listed.stderr
    codes.write_text(listed.stdout)
    args = (
        "rehearse",
        "--codes",
        str(codes),
        "--data",
        str(tmp_path / "judges"),
        "--connect",
        f"127.0.0.1:{port}",
        "--seed",
        "5",
        "--timeout",
        "60",
    )
    first = cli(*args)
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    # 4 judges x 8 teams, less Bao's and Dev's conflicts, each a draft then a final sheet.
    assert summary["judges"] == 4
    assert summary["ops"] == (4 * 8 - 2) * 2
    assert summary["accepted"] == summary["ops"]
    assert summary["rejected"] == 0
    assert 0 < summary["ack_p50_ms"] <= summary["ack_p99_ms"]

    again = cli(*args)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["ops"] == 0
    running.stop()

    replica = Replica.open(db)
    sheets = replica.state.sheets()
    assert len(sheets) == 30
    assert all(s["final"] for s in sheets)
    assert ("judge-bao", "team-fjord") not in {(s["judge"], s["team"]) for s in sheets}
    for sheet in sheets:
        for value in sheet["scores"].values():
            assert 0 <= value <= 100
    replica.close()


def test_a_rehearsal_scores_prize_criteria_and_a_later_round_once_it_is_open(
    tmp_path: Path,
) -> None:
    """The demo: Carmen judges the open-data prize (its own criterion); the finals round is
    rehearsed only once scoring is open in it, for its finalists, less a judge's conflicts."""
    replica = Replica.open(tmp_path / "host.db")
    try:
        seed_demo(replica)
        state = replica.state
        assert rounds_to_score(state, "judge-bao") == [
            ("main", sorted(set(state.teams()) - {"team-fjord"}))
        ]
        carmen = sheet_scores(state, 3, "judge-carmen", "team-basalt")
        assert set(carmen) == {"innovation", "design", "execution", "open-data"}
        assert set(sheet_scores(state, 3, "judge-carmen", "team-fjord")) == {
            "innovation",
            "design",
            "execution",
        }
        assert "open-data" not in sheet_scores(state, 3, "judge-ada", "team-basalt")
        assert sheet_scores(state, 3, "judge-carmen", "team-basalt") == carmen  # repeatable

        finalists = ["team-basalt", "team-fjord", "team-gale"]
        replica.admin("event.set", {"field": "phase", "value": "locked"})
        for team in finalists:
            replica.admin("finalist.put", {"round": "finals", "team": team, "finalist": True})
        assert [r for r, _ in rounds_to_score(replica.state, "judge-bao")] == ["main"]
        replica.admin("round.phase", {"round": "finals", "phase": "scoring"})
        state = replica.state
        assert rounds_to_score(state, "judge-bao")[1] == ("finals", ["team-basalt", "team-gale"])
        assert rounds_to_score(state, "judge-ada")[1] == ("finals", finalists)
        for judge in ("judge-ada", "judge-carmen"):
            for team in finalists:
                scores = sheet_scores(state, 3, judge, team, "finals")
                allowed = {c["id"]: c for c in sheet_criteria(state, judge, team, "finals")}
                assert set(scores) == set(allowed)
                assert all(on_scale(v, allowed[c]) for c, v in scores.items())
    finally:
        replica.close()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "is not JSON"),
        ('{"role": "judge"}', "must hold the list"),
        ('[{"role": "team", "id": "t", "code": "ABCD-EFGH"}]', "holds no judge codes"),
    ],
)
def test_rehearse_refuses_a_bad_codes_file_with_one_line(
    tmp_path: Path, content: str, message: str
) -> None:
    codes = tmp_path / "codes.json"
    codes.write_text(content)
    result = cli(
        "rehearse",
        "--codes",
        str(codes),
        "--data",
        str(tmp_path / "d"),
        "--connect",
        "127.0.0.1:1",
        timeout=30,
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert message in result.stderr


def test_rehearse_gives_up_at_its_timeout_with_a_clear_line(tmp_path: Path) -> None:
    codes = tmp_path / "codes.json"
    codes.write_text('[{"role": "judge", "id": "judge-ada", "name": "Ada", "code": "ABCD-EFGH"}]')
    result = cli(
        "rehearse",
        "--codes",
        str(codes),
        "--data",
        str(tmp_path / "d"),
        "--connect",
        f"127.0.0.1:{free_port()}",
        "--timeout",
        "2",
        "--insecure",
        timeout=30,
    )
    assert result.returncode == 1
    assert "within 2 s" in result.stderr.strip().splitlines()[-1]


def test_host_from_replica_rebuilds_a_lost_host_and_serves_it(tmp_path: Path) -> None:
    """`host --from-replica JUDGE_DB --db NEW_DB`: the event comes back from a judge's laptop."""
    db, port = tmp_path / "host.db", free_port()
    running = RunningHost(db, port, "--demo", "--insecure")
    codes = tmp_path / "codes.json"
    codes.write_text(cli("codes", "--db", str(db)).stdout)
    data = tmp_path / "judges"
    done = cli(
        "rehearse",
        "--codes",
        str(codes),
        "--data",
        str(data),
        "--connect",
        f"127.0.0.1:{port}",
        "--insecure",
        "--timeout",
        "60",
    )
    assert done.returncode == 0, done.stderr
    running.stop(signal.SIGKILL)  # the host laptop is gone
    judge_db = sorted(data.glob("*.db"))[0]
    new_db, new_port = tmp_path / "rebuilt.db", free_port()
    rebuilt = RunningHost(new_db, new_port, "--insecure", "--from-replica", str(judge_db))
    banner = "".join(rebuilt.banner)
    assert "Rebuilt the host of" in banner
    assert "Rejoin on their own" in banner
    code, err = rebuilt.stop(signal.SIGTERM)
    assert code == 0, err
    # Run again, it refuses to overwrite what it built, in one line.
    again = cli("host", "--headless", "--from-replica", str(judge_db), "--db", str(new_db))
    assert again.returncode == 1
    assert again.stderr.count("\n") == 1
    assert "already exists" in again.stderr
    missing = cli("host", "--headless", "--from-replica", str(judge_db))
    assert missing.returncode == 1
    assert "needs --db" in missing.stderr
