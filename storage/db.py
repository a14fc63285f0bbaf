"""Open a Tallyboard SQLite database: checks, pragmas, schema version and forward migrations.

Peewee owns the connection, its pragmas and transactions (`db.atomic()`); the replica speaks
SQL through `db.execute_sql`. Peewee models are not used: a model binds to one database for the
whole process, and a host and a judge replica open in one process (tests, rehearsals) would
then share it; and building a query through a model costs ~230 us against ~40 us of SQL
(shared NOTES.md), on the path every op takes.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

import peewee

# "TALY": marks a file as a Tallyboard database, so that another SQLite file is never migrated.
APPLICATION_ID = 0x54414C59
SCHEMA_VERSION = 4
_SQLITE_HEADER = b"SQLite format 3\x00"


class DatabaseError(Exception):
    """A database cannot be opened; the message says why in one line a user can act on."""


class DatabaseLock:
    """An exclusive OS lock on `<db>.lock`, held by the one process that serves or edits a
    database; the OS drops it when that process ends, however it ends (SIGKILL included).

    A sidecar file rather than SQLite's `locking_mode=EXCLUSIVE`: readers (`export`, `codes`,
    the console's online backup, a rebuild from a judge's replica that a judge window has
    open) must keep reading the database while its owner runs, and they take no lock.
    """

    def __init__(self, path: Path, handle: int) -> None:
        self.path = path
        self._handle: int | None = handle

    @staticmethod
    def path_for(db: Path) -> Path:
        """Return the lock file of the database at `db`."""
        return db.with_name(db.name + ".lock")

    @classmethod
    def acquire(cls, db: str | Path) -> DatabaseLock:
        """Take the lock of the database at `db`, or raise DatabaseError naming its holder."""
        db = Path(db)
        path = cls.path_for(db)
        writable = True
        try:
            handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            if not path.exists():
                raise DatabaseError(_read_only_folder(db) if _denied(exc) else f"{exc}") from exc
            handle = os.open(path, os.O_RDONLY)  # a read-only folder: the write probe says so
            writable = False
        try:
            _lock(handle)
        except OSError as exc:
            holder = _holder(path)
            os.close(handle)
            raise DatabaseError(
                f"{db} is in use by another Tallyboard{holder}: stop it first,"
                " or open another database (--db)"
            ) from exc
        if writable:  # who holds it, for the message the next one sees
            os.ftruncate(handle, 0)
            os.write(handle, f"{os.getpid()}\n".encode())
        return cls(path, handle)

    def release(self) -> None:
        """Let the lock go (closing the file releases it)."""
        if self._handle is not None:
            os.close(self._handle)
            self._handle = None


def _lock(handle: int) -> None:
    """Lock a file exclusively without waiting; raise OSError when another process holds it."""
    if sys.platform == "win32":
        import msvcrt  # noqa: PLC0415

        msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
    else:
        import fcntl  # noqa: PLC0415

        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _holder(path: Path) -> str:
    try:
        pid = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (process {pid})" if pid.isdigit() else ""


def _denied(exc: OSError) -> bool:
    return isinstance(exc, PermissionError) or exc.errno == 30  # EROFS: a read-only volume


def _read_only_folder(db: Path) -> str:
    return (
        f"{db.parent} is read-only, and the database {db.name} needs its folder writable"
        " (SQLite keeps its journal beside it): make the folder writable, or copy the"
        " database somewhere writable and pass that --db"
    )


def _read_only_file(db: Path) -> str:
    return (
        f"{db} is read-only, and this mode writes every change to it: make the file writable"
        " (chmod u+w), or copy it somewhere writable and pass that --db"
    )


def _unwritable(db: Path, exc: BaseException) -> DatabaseError | None:
    """Return the one-line error for SQLite's "cannot write here", or None for other errors."""
    name = ""
    cause: BaseException | None = exc
    while cause is not None and not name:  # peewee raises its own error from sqlite3's
        name = str(getattr(cause, "sqlite_errorname", ""))
        cause = cause.__cause__ or cause.__context__
    if name in ("SQLITE_READONLY_DIRECTORY", "SQLITE_CANTOPEN") and db.parent.exists():
        return DatabaseError(_read_only_folder(db))
    if name.startswith("SQLITE_READONLY"):
        return DatabaseError(_read_only_file(db))
    return None


def _probe_writing(db: peewee.SqliteDatabase) -> None:
    """Raise SQLite's read-only error now, not at the first op: a page write, rolled back.

    `BEGIN IMMEDIATE` alone succeeds on a read-only file in WAL mode (its lock lives in the
    shared-memory file); rewriting the header's user_version needs the file itself.
    """
    version = schema_version(db)
    db.execute_sql("BEGIN IMMEDIATE")
    try:
        db.execute_sql(f"PRAGMA user_version = {version}")
    finally:
        db.execute_sql("ROLLBACK")


def _v1(db: peewee.SqliteDatabase) -> None:
    """Create the first release's schema."""
    for sql in (
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        # Every op this replica holds, once, with its outcome (PROTOCOL.md section 6).
        """CREATE TABLE op (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            device TEXT NOT NULL,
            n INTEGER NOT NULL,
            hlc TEXT NOT NULL,
            author TEXT NOT NULL,
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            body TEXT NOT NULL,
            sig TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected')),
            code TEXT,
            message TEXT,
            UNIQUE (device, n)
        )""",
        "CREATE INDEX op_key ON op (key, hlc)",
        "CREATE INDEX op_pending ON op (status, device, n)",
        "CREATE TABLE vv (device TEXT PRIMARY KEY, n INTEGER NOT NULL)",
        # The state folded from the ops: per key the winning op's stamp and value (NULL: deleted).
        """CREATE TABLE state (
            key TEXT PRIMARY KEY,
            hlc TEXT NOT NULL,
            op_id TEXT NOT NULL,
            author TEXT NOT NULL,
            value TEXT
        )""",
        # Host-only secrets (PROTOCOL.md section 3): never in an op, an export or a replica.
        """CREATE TABLE join_code (
            code TEXT PRIMARY KEY,
            role TEXT NOT NULL CHECK (role IN ('judge', 'team', 'display')),
            subject TEXT,
            created_ms INTEGER NOT NULL
        )""",
        """CREATE TABLE token (
            hash TEXT PRIMARY KEY,
            device TEXT NOT NULL,
            created_ms INTEGER NOT NULL
        )""",
    ):
        db.execute_sql(sql)


def _v2(db: peewee.SqliteDatabase) -> None:
    """Add what the host has seen of each device, for the console's device health view."""
    db.execute_sql(
        """CREATE TABLE device_seen (
            device TEXT PRIMARY KEY,
            last_seen_ms INTEGER NOT NULL,
            address TEXT NOT NULL DEFAULT '',
            pending INTEGER NOT NULL DEFAULT 0,
            clock_offset_ms INTEGER NOT NULL DEFAULT 0
        )"""
    )


def _v3(db: peewee.SqliteDatabase) -> None:
    """Bound the devices a join code pairs: a limit per code, and who paired with which code.

    Host-only, like the codes (docs/protocol.md 3c). A display is registered here alone, not
    by a `device.put` op, so that displays never grow a judge's backlog.
    """
    # NULL: the role's default (storage.codes.default_device_limit).
    db.execute_sql("ALTER TABLE join_code ADD COLUMN device_limit INTEGER")
    db.execute_sql(
        """CREATE TABLE code_device (
            code TEXT NOT NULL,
            device TEXT NOT NULL,
            pubkey TEXT NOT NULL,
            name TEXT NOT NULL DEFAULT '',
            paired_ms INTEGER NOT NULL,
            PRIMARY KEY (code, device)
        )"""
    )
    db.execute_sql("CREATE INDEX code_device_device ON code_device (device)")
    # Devices paired before this version count against the code of their role and subject.
    db.execute_sql(
        """INSERT OR IGNORE INTO code_device (code, device, pubkey, name, paired_ms)
        SELECT jc.code, json_extract(s.value, '$.device'), json_extract(s.value, '$.pubkey'),
               coalesce(json_extract(s.value, '$.name'), ''), jc.created_ms
        FROM state s JOIN join_code jc
          ON jc.role = json_extract(s.value, '$.role')
         AND jc.subject IS json_extract(s.value, '$.subject')
        WHERE s.key LIKE 'device/%' AND s.value IS NOT NULL"""
    )


def _v4(db: peewee.SqliteDatabase) -> None:
    """Keep what the host had handled of each device at its last hello (docs/protocol.md 3a).

    `pending` is what the device said it held unsent then; what the host has handled of it
    since (its vv then against now, and ops answered again) is not waiting any more.
    """
    db.execute_sql("ALTER TABLE device_seen ADD COLUMN vv_at_hello INTEGER NOT NULL DEFAULT 0")
    db.execute_sql("ALTER TABLE device_seen ADD COLUMN answered_again INTEGER NOT NULL DEFAULT 0")
    # A row from before counts as said now: the count shown does not change on upgrading.
    db.execute_sql(
        "UPDATE device_seen SET vv_at_hello ="
        " coalesce((SELECT n FROM vv WHERE vv.device = device_seen.device), 0)"
    )


MIGRATIONS: dict[int, Callable[[peewee.SqliteDatabase], None]] = {
    1: _v1,
    2: _v2,
    3: _v3,
    4: _v4,
}
assert sorted(MIGRATIONS) == list(range(1, SCHEMA_VERSION + 1))


def inspect(path: Path) -> tuple[int, int]:
    """Return (application_id, user_version) of an existing SQLite file, reading only.

    Both are read from the file header (offsets 68 and 60), so that no journal file is made
    beside a database that is then refused.
    """
    with path.open("rb") as handle:
        header = handle.read(100)
    if not header:
        return 0, 0
    if not header.startswith(_SQLITE_HEADER) or len(header) < 100:
        raise DatabaseError(f"{path} is not a Tallyboard database (not an SQLite file)")
    version = int.from_bytes(header[60:64], "big", signed=True)
    app_id = int.from_bytes(header[68:72], "big", signed=True)
    if app_id != APPLICATION_ID:
        # A live database in WAL mode may hold its newest header only in the WAL: ask SQLite.
        try:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            try:
                app_id = conn.execute("PRAGMA application_id").fetchone()[0]
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            finally:
                conn.close()
        except sqlite3.DatabaseError as exc:
            raise DatabaseError(f"{path} is damaged or not a database: {exc}") from exc
        if tables and app_id != APPLICATION_ID:
            raise DatabaseError(
                f"{path} is an SQLite database of another program, not Tallyboard's"
            )
    return app_id, version


def open_database(
    path: str | Path, *, create: bool = True, durable: bool = True, writable: bool = False
) -> peewee.SqliteDatabase:
    """Open (or create) a database at `path`, migrated to SCHEMA_VERSION.

    `durable` sets synchronous=FULL, so a commit survives a power cut before it returns
    (the host acks an op only after that; PROTOCOL.md section 6). `writable` proves at once
    that the file and its folder can be written, for a mode that writes as it runs.
    Raises DatabaseError, having changed nothing, when the file is missing (and `create` is
    false), damaged, another program's, of a newer schema than this code knows, or (with
    `writable`) read-only.
    """
    path = Path(path)
    if path.exists():
        if path.is_dir():
            raise DatabaseError(f"{path} is a folder, not a database file")
        app_id, version = inspect(path)
        if not create and app_id != APPLICATION_ID:
            raise DatabaseError(f"{path} is not a Tallyboard database (it is empty)")
        if version > SCHEMA_VERSION:
            raise DatabaseError(
                f"{path} has schema version {version}, newer than this Tallyboard knows"
                f" ({SCHEMA_VERSION}); upgrade Tallyboard to open it"
            )
    elif not create:
        raise DatabaseError(f"there is no database at {path}")
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    db = peewee.SqliteDatabase(
        str(path),
        pragmas={
            "journal_mode": "wal",
            "synchronous": "full" if durable else "normal",
            "foreign_keys": 1,
            "busy_timeout": 5000,
        },
    )
    try:
        db.connect()
        migrate(db)
        if writable:
            _probe_writing(db)
    except DatabaseError:
        db.close()
        raise
    except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:
        db.close()
        raise _unwritable(path, exc) or DatabaseError(
            f"{path} is damaged or unreadable: {exc}"
        ) from exc
    return db


def schema_version(db: peewee.SqliteDatabase) -> int:
    """Return the schema version stored in an open database."""
    return int(db.execute_sql("PRAGMA user_version").fetchone()[0])


def migrate(db: peewee.SqliteDatabase, target: int = SCHEMA_VERSION) -> None:
    """Apply the forward migrations up to `target`, all in one transaction."""
    current = schema_version(db)
    if current > SCHEMA_VERSION:
        raise DatabaseError(
            f"the database has schema version {current}, newer than this Tallyboard knows"
            f" ({SCHEMA_VERSION}); upgrade Tallyboard to open it"
        )
    if current >= target:
        return
    with db.atomic():
        for version in range(current + 1, target + 1):
            MIGRATIONS[version](db)
        db.execute_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute_sql(f"PRAGMA user_version = {target}")
