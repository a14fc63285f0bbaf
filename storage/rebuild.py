"""Rebuild a lost host from a judge's replica (`main.py host --from-replica JUDGE_DB --db NEW`).

A judge's replica holds every admin op it was sent (the event, teams, criteria, judges, the
devices' public keys), all of its own ops, and the other judges' sheets it was allowed to
read. The new host takes the accepted ones, each checked against its device's registered key,
as its history; keeps the event's id, so that every peer recognises the event; decides afresh
the source judge's own ops that were still waiting; and issues join codes. Codes and tokens
never left the old host (PROTOCOL.md section 3): paired devices come back by proving their key
(docs/protocol.md, `challenge`), and relay what they hold (section 6).

The source file is never written: it is copied through SQLite's backup API (which also takes
what a live judge window still holds in its WAL) and read from the copy. The new database is
built beside its final name and renamed into place only once complete.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from storage.db import DatabaseError, inspect
from storage.hlc import system_ms
from storage.ops import Op
from storage.replica import Replica, StoredOp
from storage.signing import verify

REBUILT_SETTING = "rebuilt_from"


@dataclass(frozen=True)
class RebuildReport:
    """What a rebuild took, and what the organiser has to do next."""

    event_name: str
    source_judge: str
    imported: int  # accepted ops taken as history
    decided: int  # the source judge's own ops still waiting for an answer, decided now
    skipped: list[str] = field(default_factory=list)  # ops whose signature did not verify
    paired: list[str] = field(default_factory=list)  # judges whose laptop rejoins by its key
    unpaired: list[str] = field(default_factory=list)  # judges who need their new join code

    def lines(self) -> list[str]:
        """Return the report as lines for a terminal or a message box."""
        lines = [
            f"Rebuilt the host of {self.event_name} from {self.source_judge}'s laptop:",
            f"  {self.imported} accepted changes taken, each checked against its signature",
        ]
        if self.decided:
            lines.append(f"  {self.decided} of {self.source_judge}'s waiting changes decided now")
        if self.skipped:
            lines.append(f"  {len(self.skipped)} changes left out: their signatures do not verify")
        if self.paired:
            lines.append(
                "  Rejoin on their own once they trust the new certificate: "
                + ", ".join(self.paired)
            )
        if self.unpaired:
            lines.append("  Need their new join code: " + ", ".join(self.unpaired))
        return lines


def _snapshot(source: Path, copy: Path) -> None:
    """Copy a database through SQLite's backup API, opening the source read-only."""
    try:
        reader = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot read {source}: {exc}") from exc
    try:
        writer = sqlite3.connect(copy)
        try:
            reader.backup(writer)
        finally:
            writer.close()
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot read {source}: {exc}") from exc
    finally:
        reader.close()


def _source_judge(replica: Replica, source: Path) -> str:
    """Return the judge id the source replica belongs to, or say why it cannot serve."""
    device = replica.state.device(replica.device_id)
    if device is None:
        if replica.setting("token") is None and not replica.state.judges():
            raise DatabaseError(f"{source} has never joined a host: it holds no event")
        raise DatabaseError(
            f"{source} holds no record of its own pairing; use another judge's replica"
        )
    role = device["role"]
    if role == "admin":
        raise DatabaseError(
            f"{source} is a host's database, not a judge's: run `host --db {source}` on it"
        )
    if role != "judge":
        raise DatabaseError(
            f"{source} is a {role}'s replica, which holds no ops; use a judge's replica"
        )
    return str(device["subject"])


def _verified(ops: list[StoredOp]) -> tuple[list[StoredOp], list[str]]:
    """Return the ops whose signature verifies against their device's registered key."""
    keys: dict[str, str] = {}
    for stored in ops:
        op = stored.op
        if op.kind == "device.put" and stored.status == "accepted":
            keys.setdefault(str(op.body["device"]), str(op.body["pubkey"]))
    good, bad = [], []
    for stored in ops:
        key = keys.get(stored.op.device)
        if key is not None and verify(stored.op.payload(), stored.op.sig, key):
            good.append(stored)
        else:
            bad.append(stored.op.id)
    return good, bad


def _remove(database: Path) -> None:
    """Delete a database file and its WAL and shared-memory files, if there."""
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        path.unlink(missing_ok=True)


def rebuild_host(
    source: str | Path, target: str | Path, *, now: Callable[[], int] = system_ms
) -> RebuildReport:
    """Create a host database at `target` from the judge replica at `source`.

    Raises DatabaseError, leaving no file at `target`, when the source cannot serve (missing,
    not Tallyboard's, a host's, a team's or display's, never joined) or `target` exists.
    """
    source, target = Path(source), Path(target)
    if not source.is_file():
        raise DatabaseError(f"there is no replica at {source}")
    if target.exists() and target.stat().st_size > 0:
        raise DatabaseError(f"{target} already exists: the rebuilt host needs a new --db file")
    inspect(source)  # refuses another program's file before anything is copied
    target.parent.mkdir(parents=True, exist_ok=True)
    building = target.with_name(target.name + ".rebuilding")
    with tempfile.TemporaryDirectory(prefix="tallyboard-rebuild-") as folder:
        copy = Path(folder) / "source.db"
        _snapshot(source, copy)
        judge_replica = Replica.open(copy, create=False, durable=False, now=now)
        try:
            judge = _source_judge(judge_replica, source)
            # Every op the old host decided: the accepted ones, and the source judge's own
            # refused ones (their reason, told by an ack, stays the reason).
            rows = judge_replica.db.execute_sql(
                "SELECT id FROM op WHERE status = 'accepted' OR (status = 'rejected'"
                " AND device = ?) ORDER BY seq",
                (judge_replica.device_id,),
            ).fetchall()
            decided = [s for s in map(judge_replica.stored, (row[0] for row in rows)) if s]
            history, skipped = _verified(decided)
            waiting = judge_replica.pending()
            event_id = judge_replica.event_id
        finally:
            judge_replica.close()
        _remove(building)  # what a rebuild cut short (power, Ctrl+C) left behind
        try:
            report = _build(building, event_id, judge, history, skipped, waiting, now)
            building.replace(target)
        except BaseException:
            with contextlib.suppress(OSError):
                _remove(building)
            raise
    return report


def _build(
    path: Path,
    event_id: str,
    judge: str,
    history: list[StoredOp],
    skipped: list[str],
    waiting: list[Op],
    now: Callable[[], int],
) -> RebuildReport:
    host = Replica.open(path, create=True, now=now)
    try:
        host.adopt_event(event_id)
        host.import_history(history)
        host.register_self()
        outcomes = host.submit([op.to_wire() for op in waiting])
        host.set_setting(
            REBUILT_SETTING,
            json.dumps({"judge": judge, "ops": len(history), "at_ms": now()}),
        )
        host.ensure_codes()
        state = host.state
        paired_ids = {
            device["subject"]
            for _, device in state.live("device/")
            if device["role"] == "judge" and not state.revoked(device["device"])
        }
        names = {jid: str(j["name"]) for jid, j in state.judges().items()}
        judge_name = names.get(judge, judge)
        report = RebuildReport(
            event_name=str(state.event()["name"]),
            source_judge=judge_name,
            imported=len(history),
            decided=len(outcomes),
            skipped=skipped,
            paired=sorted(names[j] for j in paired_ids if j in names),
            unpaired=sorted(name for jid, name in names.items() if jid not in paired_ids),
        )
    finally:
        host.close()
    return report
