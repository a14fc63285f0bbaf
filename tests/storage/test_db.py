"""Tests for opening databases: schema version, forward migrations and refusing what is not ours."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import uuid
from pathlib import Path

import peewee
import pytest

from storage.db import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    DatabaseError,
    DatabaseLock,
    migrate,
    open_database,
    schema_version,
)
from storage.demo import seed_demo
from storage.export import to_json
from storage.replica import Replica
from storage.signing import DeviceKey

V1_SCHEMA = Path(__file__).parent / "data" / "schema_v1.sql"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def test_new_database_has_current_schema_and_is_marked_as_ours(tmp_path: Path) -> None:
    db = open_database(tmp_path / "new.db")
    assert schema_version(db) == SCHEMA_VERSION
    assert db.execute_sql("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    db.close()


def test_non_durable_database_uses_synchronous_normal(tmp_path: Path) -> None:
    db = open_database(tmp_path / "peer.db", durable=False)
    assert db.execute_sql("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    db.close()


def test_first_release_database_opens_migrated_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    old = peewee.SqliteDatabase(str(path), pragmas={"journal_mode": "wal"})
    old.connect()
    old.connection().executescript(V1_SCHEMA.read_text())
    old.execute_sql(f"PRAGMA application_id = {APPLICATION_ID}")
    old.execute_sql("PRAGMA user_version = 1")
    replica = Replica(old)
    seed_demo(replica)
    before = to_json(replica)
    codes = replica.join_codes()
    replica.close()

    upgraded = Replica.open(path)
    assert schema_version(upgraded.db) == SCHEMA_VERSION
    assert to_json(upgraded) == before
    assert upgraded.join_codes() == codes
    tables = {r[0] for r in upgraded.db.execute_sql("SELECT name FROM sqlite_master")}
    assert "device_seen" in tables
    upgraded.close()


def test_database_of_newer_schema_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    replica = Replica.open(path)
    replica.db.execute_sql(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    replica.close()
    digest, files = _digest(path), _files(tmp_path)
    with pytest.raises(DatabaseError, match="newer than this Tallyboard"):
        open_database(path)
    assert _digest(path) == digest
    assert _files(tmp_path) == files


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"this is a text file, not a database\n", "not an SQLite file"),
        (b"SQLite format 3\x00" + b"\xff" * 4000, "damaged or not a database"),
    ],
)
def test_damaged_file_is_refused_and_left_untouched(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.db"
    path.write_bytes(content)
    with pytest.raises(DatabaseError, match=message):
        open_database(path)
    assert path.read_bytes() == content
    assert _files(tmp_path) == {"bad.db"}


def test_another_programs_sqlite_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    digest = _digest(path)
    with pytest.raises(DatabaseError, match="another program"):
        open_database(path)
    assert _digest(path) == digest


def test_missing_database_is_not_created_when_creation_is_off(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="there is no database"):
        open_database(tmp_path / "absent.db", create=False)
    assert not (tmp_path / "absent.db").exists()


def test_empty_file_is_not_taken_for_a_database_when_creation_is_off(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    with pytest.raises(DatabaseError, match="not a Tallyboard database"):
        open_database(path, create=False)
    assert path.read_bytes() == b""


def test_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="is a folder"):
        open_database(tmp_path)


def test_one_process_at_a_time_holds_a_database(tmp_path: Path) -> None:
    db = tmp_path / "host.db"
    first = Replica.open(db, exclusive=True)
    with pytest.raises(
        DatabaseError, match=rf"in use by another Tallyboard \(process {os.getpid()}\)"
    ):
        Replica.open(db, exclusive=True)
    reader = Replica.open(db, create=False)  # readers (export, codes, backups) take no lock
    assert reader.device_id == first.device_id
    reader.close()
    first.close()
    again = Replica.open(db, exclusive=True)  # closing let it go
    again.close()


def test_a_refused_open_leaves_the_lock_free(tmp_path: Path) -> None:
    db = tmp_path / "other.db"
    db.write_bytes(b"SQLite format 3\x00" + bytes(100))
    with pytest.raises(DatabaseError):
        Replica.open(db, exclusive=True)
    DatabaseLock.acquire(db).release()


def test_a_version_2_database_counts_its_paired_devices_against_their_codes(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v2.db"
    old = peewee.SqliteDatabase(str(path), pragmas={"journal_mode": "wal"})
    old.connect()
    old.connection().executescript(V1_SCHEMA.read_text())
    old.execute_sql(f"PRAGMA application_id = {APPLICATION_ID}")
    old.execute_sql("PRAGMA user_version = 1")
    migrate(old, target=2)
    replica = Replica(old)
    seed_demo(replica)
    laptops = [DeviceKey.generate() for _ in range(3)]
    devices = [str(uuid.uuid4()) for _ in laptops]
    for (role, subject), device, key in zip(
        [("judge", "judge-ada"), ("judge", "judge-ada"), ("display", None)],
        devices,
        laptops,
        strict=True,
    ):
        body = {"device": device, "pubkey": key.public_b64, "role": role, "subject": subject}
        replica.admin("device.put", {**body, "name": ""})
    codes = {(c["role"], c["id"]): c["code"] for c in replica.join_codes()}
    replica.close()

    upgraded = Replica.open(path)
    assert schema_version(upgraded.db) == SCHEMA_VERSION
    judge_code = codes[("judge", "judge-ada")]
    assert upgraded.code_devices(judge_code) == devices[:2]
    assert upgraded.code_used_up(judge_code, str(uuid.uuid4())) == 2  # a third laptop
    assert upgraded.code_used_up(judge_code, devices[0]) is None  # its own laptop again
    assert upgraded.code_devices(codes[("display", None)]) == devices[2:]
    assert upgraded.registration(devices[2]) == upgraded.state.device(devices[2])
    upgraded.close()


def test_a_version_3_database_shows_the_same_unsent_counts_after_upgrading(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v3.db"
    old = peewee.SqliteDatabase(str(path), pragmas={"journal_mode": "wal"})
    old.connect()
    old.connection().executescript(V1_SCHEMA.read_text())
    old.execute_sql(f"PRAGMA application_id = {APPLICATION_ID}")
    old.execute_sql("PRAGMA user_version = 1")
    migrate(old, target=3)
    replica = Replica(old)
    seed_demo(replica)
    device = str(uuid.uuid4())
    old.execute_sql("INSERT INTO vv (device, n) VALUES (?, 4)", (device,))
    old.execute_sql(
        "INSERT INTO device_seen (device, last_seen_ms, address, pending) VALUES (?, 1, '', 3)",
        (device,),
    )
    replica.close()

    upgraded = Replica.open(path)
    assert schema_version(upgraded.db) == SCHEMA_VERSION
    assert upgraded.seen_devices()[device]["pending"] == 3
    upgraded.close()
