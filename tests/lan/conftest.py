"""A private LAN for each test: a bridge and hosts in Linux network namespaces, torn down after."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pytest

from storage.replica import Replica

ROOT = Path(__file__).resolve().parents[2]
MAIN = ROOT / "main.py"
IP_TIMEOUT = 10.0  # one `ip` command; they take milliseconds
_runs = itertools.count(1)


def _ip(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run one `ip` command; raise with its stderr when it fails and `check` is set."""
    result = subprocess.run(
        ["ip", *args], capture_output=True, text=True, timeout=IP_TIMEOUT, check=False
    )
    if check and result.returncode != 0:
        raise RuntimeError(f"ip {' '.join(args)}: {result.stderr.strip()}")
    return result


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_stale_namespaces() -> None:
    """Delete the namespaces, and end the processes in them, of test runs that were killed."""
    listed = _ip("netns", "list", check=False).stdout.split("\n")
    for line in listed:
        match = re.match(r"(tb-(\d+)-\S+)", line)
        if match is None or _alive(int(match.group(2))):
            continue
        ns = match.group(1)
        for pid in _ip("netns", "pids", ns, check=False).stdout.split():
            with contextlib.suppress(ProcessLookupError, ValueError):
                os.kill(int(pid), signal.SIGKILL)
        _ip("netns", "del", ns, check=False)


def _namespaces_unavailable() -> str | None:
    """Return why network namespaces cannot be made here, or None when they can."""
    if sys.platform != "linux":
        return f"network namespaces need Linux, not {sys.platform}"
    if os.geteuid() != 0:
        return "network namespaces need root (CI runs as root; run `sudo .ci/check -m lan`)"
    if shutil.which("ip") is None:
        return "the `ip` command (iproute2) is not installed"
    probe = f"tb-{os.getpid()}-probe"
    try:
        result = _ip("netns", "add", probe, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"`ip netns add` could not run: {exc}"
    if result.returncode != 0:
        return f"`ip netns add` failed: {result.stderr.strip() or result.returncode}"
    _ip("netns", "del", probe, check=False)
    _remove_stale_namespaces()
    return None


@dataclass
class Proc:
    """A process started in a namespace; its output goes to files, so no pipe can fill or leak."""

    name: str
    popen: subprocess.Popen[bytes]
    stdout_path: Path
    stderr_path: Path
    files: list[IO[bytes]] = field(default_factory=list)

    @property
    def pid(self) -> int:
        """The process id (`ip netns exec` execs the command, so it is the command's own)."""
        return self.popen.pid

    def stdout(self) -> str:
        """Everything the process printed so far."""
        return self.stdout_path.read_text(encoding="utf-8", errors="replace")

    def stderr(self) -> str:
        """Everything the process logged so far."""
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def describe(self) -> str:
        """Its output, for an assertion message."""
        return (
            f"--- {self.name} (exit {self.popen.poll()}) stdout:\n{self.stdout()[-3000:]}"
            f"\n--- stderr:\n{self.stderr()[-6000:]}"
        )

    def wait_for_output(self, text: str, timeout: float) -> str:
        """Wait until stdout holds `text`, at most `timeout` s; return the stdout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            out = self.stdout()
            if text in out:
                return out
            if self.popen.poll() is not None:
                out = self.stdout()
                if text in out:
                    return out
                raise AssertionError(
                    f"{self.name} exited before printing {text!r}\n{self.describe()}"
                )
            time.sleep(0.02)
        raise AssertionError(
            f"{self.name} printed no {text!r} within {timeout:g} s\n{self.describe()}"
        )

    def wait_for_log(self, text: str, count: int, timeout: float) -> None:
        """Wait until stderr holds `text` at least `count` times, at most `timeout` s."""
        deadline = time.monotonic() + timeout
        while self.stderr().count(text) < count:
            if time.monotonic() > deadline or self.popen.poll() is not None:
                raise AssertionError(
                    f"{self.name} logged {text!r} fewer than {count} times within"
                    f" {timeout:g} s\n{self.describe()}"
                )
            time.sleep(0.02)

    def wait(self, timeout: float) -> int:
        """Wait for the exit, at most `timeout` s; return the exit status."""
        try:
            return self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(
                f"{self.name} still running after {timeout:g} s\n{self.describe()}"
            ) from None

    def kill(self) -> None:
        """SIGKILL the process and reap it."""
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGKILL)
        self.popen.wait(10)

    def terminate(self, timeout: float = 10.0) -> int:
        """SIGTERM the process (a clean stop), SIGKILL it if it lingers; return the exit status."""
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                return self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
                raise AssertionError(
                    f"{self.name} ignored SIGTERM for {timeout:g} s\n{self.describe()}"
                ) from None
        return self.popen.wait(0)

    def close(self) -> None:
        """Kill the process if it still runs and close its files."""
        try:
            self.kill()
        finally:
            for handle in self.files:
                handle.close()


@dataclass(frozen=True)
class Node:
    """One machine on the LAN: a network namespace with one interface and one IPv4 address."""

    name: str
    ns: str
    iface: str
    address: str


class Lan:
    """A bridge in its own namespace and hosts on it; nothing is routed anywhere else."""

    def __init__(self, folder: Path, tag: str, subnet: int) -> None:
        self.folder = folder
        self.prefix = f"tb-{os.getpid()}-{tag}"
        self.subnet = subnet
        self.bridge_ns = f"{self.prefix}-br"
        self.nodes: dict[str, Node] = {}
        self.namespaces: list[str] = []
        self.procs: list[Proc] = []

    def _add_ns(self, ns: str) -> None:
        _ip("netns", "add", ns)
        self.namespaces.append(ns)
        _ip("-n", ns, "link", "set", "lo", "up")
        # No IPv6: its neighbour discovery would only add traffic these tests do not use.
        subprocess.run(
            ["ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1"],
            capture_output=True,
            timeout=IP_TIMEOUT,
            check=False,
        )

    def build(self, names: list[str]) -> None:
        """Make the bridge and one host namespace per name, each at 10.77.<subnet>.<2+i>."""
        self._add_ns(self.bridge_ns)
        _ip("-n", self.bridge_ns, "link", "add", "br0", "type", "bridge", "mcast_snooping", "0")
        _ip("-n", self.bridge_ns, "link", "set", "br0", "up")
        for index, name in enumerate(names):
            ns = f"{self.prefix}-{name}"
            self._add_ns(ns)
            port = f"p{index}"
            # Made inside the bridge's namespace and moved straight into the host's: no
            # interface ever appears in the namespace this test runs in.
            _ip(*f"-n {self.bridge_ns} link add {port} type veth peer name eth0 netns {ns}".split())
            _ip("-n", self.bridge_ns, "link", "set", port, "master", "br0")
            _ip("-n", self.bridge_ns, "link", "set", port, "up")
            address = f"10.77.{self.subnet}.{2 + index}"
            _ip("-n", ns, "addr", "add", f"{address}/24", "dev", "eth0")
            _ip("-n", ns, "link", "set", "eth0", "up")
            _ip("-n", ns, "route", "add", "224.0.0.0/4", "dev", "eth0")
            self.nodes[name] = Node(name, ns, "eth0", address)
            # Confined: no default route, so nothing sent here can leave this LAN.
            assert not _ip("-n", ns, "route", "show", "default").stdout.strip()

    def __getitem__(self, name: str) -> Node:
        return self.nodes[name]

    # --- processes -----------------------------------------------------------------------------

    @staticmethod
    def _env() -> dict[str, str]:
        return {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}

    def start(self, node: Node, args: list[str], name: str) -> Proc:
        """Start `args` in the node's namespace; it is SIGKILLed at teardown if still running."""
        label = f"{name}-{sum(1 for p in self.procs if p.name.startswith(name))}"
        out_path = self.folder / f"{label}.out"
        err_path = self.folder / f"{label}.err"
        out, err = out_path.open("wb"), err_path.open("wb")
        try:
            popen = subprocess.Popen(
                ["ip", "netns", "exec", node.ns, *args],
                cwd=ROOT,
                env=self._env(),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
            )
        except BaseException:
            out.close()
            err.close()
            raise
        proc = Proc(label, popen, out_path, err_path, [out, err])
        self.procs.append(proc)
        return proc

    def start_main(self, node: Node, args: list[str], name: str) -> Proc:
        """Start `python main.py ARGS` in the node's namespace."""
        return self.start(node, [sys.executable, str(MAIN), *args], name)

    def run(self, node: Node, args: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
        """Run a command in the node's namespace to its end, at most `timeout` s."""
        return subprocess.run(
            ["ip", "netns", "exec", node.ns, *args],
            cwd=ROOT,
            env=self._env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def run_main(
        self, node: Node, args: list[str], timeout: float
    ) -> subprocess.CompletedProcess[str]:
        """Run `python main.py ARGS` in the node's namespace to its end."""
        return self.run(node, [sys.executable, str(MAIN), *args], timeout)

    def start_host(self, node: Node, db: Path, *extra: str, timeout: float = 30.0) -> Proc:
        """Start `main.py host --headless` on `db` and wait until its whole banner is out."""
        host = self.start_main(
            node, ["host", "--headless", "--db", str(db), "--bind", "0.0.0.0", *extra], "host"
        )
        # The banner's last line: its fingerprint comes after the public page's lines, which
        # take the time to list the host's addresses, so "listening" alone is read too early.
        host.wait_for_output("join codes", timeout)
        return host

    def codes(self, node: Node, db: Path) -> list[dict[str, Any]]:
        """Return `main.py codes` of a host database."""
        result = self.run_main(node, ["codes", "--db", str(db)], timeout=30)
        assert result.returncode == 0, result.stderr
        codes: list[dict[str, Any]] = json.loads(result.stdout)
        return codes

    def export(self, node: Node, db: Path) -> dict[str, Any]:
        """Return `main.py export --format json` of a database."""
        result = self.run_main(node, ["export", "--db", str(db), "--format", "json"], timeout=30)
        assert result.returncode == 0, result.stderr
        data: dict[str, Any] = json.loads(result.stdout)
        return data

    # --- the network ---------------------------------------------------------------------------

    def cut(self, node: Node) -> None:
        """Take the node's interface down: it is off the LAN until `heal`."""
        _ip("-n", node.ns, "link", "set", node.iface, "down")

    def heal(self, node: Node) -> None:
        """Bring the node's interface back up, with its multicast route."""
        _ip("-n", node.ns, "link", "set", node.iface, "up")
        # Routes through a device go when it goes down; the address's own route comes back
        # by itself, the multicast one does not.
        _ip("-n", node.ns, "route", "replace", "224.0.0.0/4", "dev", node.iface)

    # --- teardown ------------------------------------------------------------------------------

    def close(self) -> None:
        """Kill every process started here, then delete every namespace made here."""
        errors = []
        for proc in self.procs:
            try:
                proc.close()
            except Exception as exc:  # keep tearing down the rest
                errors.append(f"{proc.name}: {exc}")
        for ns in reversed(self.namespaces):
            result = _ip("netns", "del", ns, check=False)
            if result.returncode != 0:
                errors.append(f"ip netns del {ns}: {result.stderr.strip()}")
        self.namespaces.clear()
        if errors:
            raise RuntimeError("LAN teardown: " + "; ".join(errors))


def _sheet_ops(replica: Replica, device: str | None = None) -> list[tuple[Any, ...]]:
    sql = "SELECT id, device, n, author, body, status FROM op WHERE kind = 'sheet.save'"
    params: tuple[Any, ...] = ()
    if device is not None:
        sql += " AND device = ?"
        params = (device,)
    return list(replica.db.execute_sql(sql + " ORDER BY device, n", params).fetchall())


def _later_rounds(state: Any) -> list[tuple[str, set[str], set[str]]]:
    """Each later round past setup: its id, its teams and its judges (docs/protocol.md 5a)."""
    found = []
    for round_ in state.rounds()[1:]:
        if state.round_phase(round_["id"]) == "setup":
            continue
        teams = set(state.teams())
        if round_["finalists"] != "all":
            teams = {t for t, chosen in state.finalist_marks(round_["id"]).items() if chosen}
        judges = set(round_["judges"]) or set(state.judges())
        found.append((round_["id"], teams & set(state.teams()), judges))
    return found


def check_converged(host_db: Path, judge_dbs: list[Path]) -> dict[str, int]:
    """Assert that the judges' replicas and the stopped host agree, every op accepted once.

    - the host holds, for every judge, exactly one final sheet per team that judge may score,
      and no sheet of any other (judge, team), in the first round and in every later round
      past setup (its teams: all, or its finalists; its judges: those it lists, or all);
    - every judge replica has nothing pending, and its own ops are exactly the ops the host
      accepted from its device: the same ids, numbered 1..n without gaps, all accepted;
    - each (judge, round, team, draft or final) sheet op exists once: a resumed run repeated
      nothing;
    - each judge replica's sheets are the host's sheets of that judge (same winning op).

    Returns the number of sheet ops the host accepted from each judge.
    """
    host = Replica.open(host_db, create=False)
    try:
        state = host.state
        teams = set(state.teams())
        judges = state.judges()
        assert not list(state.live("assign/")), "the check assumes no assignment lists"
        assert not list(state.live("rassign/")), "the check assumes no assignment lists"
        sheets = state.sheets()
        keys = [(s["judge"], s["team"]) for s in sheets]
        assert len(keys) == len(set(keys))
        later = _later_rounds(state)
        host_ops = _sheet_ops(host)
        assert all(row[5] == "accepted" for row in host_ops), "the host rejected a sheet op"
        made = [
            (row[3], json.loads(row[4]).get("round") or "main", json.loads(row[4])["team"],
             json.loads(row[4])["final"])
            for row in host_ops
        ]  # fmt: skip
        duplicated = {key for key in made if made.count(key) > 1}
        assert not duplicated, f"sheet ops made more than once: {sorted(duplicated)[:5]}"
        accepted: dict[str, int] = {}
        for path in judge_dbs:
            judge = Replica.open(path, create=False)
            try:
                assert judge.pending_count() == 0, f"{path.name}: ops still pending"
                assert not judge.rejected(), f"{path.name}: rejected ops"
                mine = _sheet_ops(judge, judge.device_id)
                assert mine, f"{path.name}: the judge made no sheet op"
                theirs = _sheet_ops(host, judge.device_id)
                assert [r[0] for r in mine] == [r[0] for r in theirs], path.name
                assert all(r[5] == "accepted" for r in mine), path.name
                numbers = [r[2] for r in mine]
                assert numbers == list(range(1, len(numbers) + 1)), f"{path.name}: gaps"
                assert host.vv().get(judge.device_id) == numbers[-1], f"{path.name}: vv"
                (judge_id,) = {r[3] for r in mine}
                allowed = teams - set(judges[judge_id]["conflicts"])
                finals = {s["team"] for s in sheets if s["judge"] == judge_id and s["final"]}
                others = {s["team"] for s in sheets if s["judge"] == judge_id} - allowed
                assert finals == allowed, f"{judge_id}: final sheets {sorted(finals)}"
                assert not others, f"{judge_id}: sheets of teams it may not score {others}"
                prefixes = [f"sheet/{judge_id}/"]
                for round_id, round_teams, round_judges in later:
                    mine_here = [s for s in state.round_sheets(round_id) if s["judge"] == judge_id]
                    may = allowed & round_teams if judge_id in round_judges else set()
                    finals = {s["team"] for s in mine_here if s["final"]}
                    others = {s["team"] for s in mine_here} - may
                    assert finals == may, f"{judge_id} in {round_id}: final sheets {sorted(finals)}"
                    assert not others, f"{judge_id} in {round_id}: sheets of others {others}"
                    prefixes.append(f"rsheet/{round_id}/{judge_id}/")
                for prefix in prefixes:
                    assert dict(judge.state.live_entries(prefix)) == dict(
                        state.live_entries(prefix)
                    ), f"{judge_id}: the replica's {prefix} sheets differ from the host's"
                accepted[judge_id] = accepted.get(judge_id, 0) + len(mine)
            finally:
                judge.close()
        return accepted
    finally:
        host.close()


@pytest.fixture(scope="session")
def converged() -> Callable[[Path, list[Path]], dict[str, int]]:
    """`check_converged`: assert that judge replicas and host agree, each op accepted once."""
    return check_converged


@pytest.fixture(scope="session")
def netns_support() -> None:
    """Skip, with the reason, where network namespaces cannot be made."""
    reason = _namespaces_unavailable()
    if reason is not None:
        pytest.skip(reason)


@pytest.fixture
def make_lan(netns_support: None, tmp_path: Path) -> Iterator[Callable[..., Lan]]:
    """A function that builds a LAN with the named hosts; every LAN is torn down afterwards."""
    lans: list[Lan] = []

    def make(*names: str) -> Lan:
        run = next(_runs)
        lan = Lan(tmp_path, str(run), run % 250)
        lans.append(lan)
        lan.build(list(names))
        return lan

    try:
        yield make
    finally:
        errors = []
        for lan in lans:
            try:
                lan.close()
            except RuntimeError as exc:
                errors.append(str(exc))
        if errors:
            raise RuntimeError("; ".join(errors))
