"""Fail any blocking call that product code makes inside a running event loop.

The host serves every judge from one asyncio loop (qasync's, in the windows), so a call that
blocks it (a sleep, a file read, a network wait) holds up every judge's ack. `blockbuster` wraps
the blocking functions of the standard library and raises `BlockingError` when one is called
inside a running loop with a frame of `storage/`, `sync/` or `desktop/` on the stack. The
allowances below are the only places where blocking is a decision, not an accident.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import blockbuster

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ["storage", "sync", "desktop"]


@cache
def _functions_of(relative: str) -> frozenset[str]:
    """Return the name of every function defined in the product module `relative`."""
    tree = ast.parse((ROOT / relative).read_text(encoding="utf-8"))
    return frozenset(
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    ) | {"<module>"}


# SQLite: the replica is the event's durable store, and the host commits inside its loop by
# design: one transaction per loop turn for every op that arrived in it (group commit, about
# 1 ms; docs/performance.md), so an ack never waits for a thread hop. Only the replica and the
# database module may call SQLite in the loop; any other caller goes through them.
SQLITE_MAY_BLOCK = [
    "storage/replica.py",
    "storage/db.py",
    "storage/rebuild.py",  # rebuilding a lost host: an organiser's deliberate step
    # The op log's reader for the console's desk (issue 12): indexed reads the organiser asks
    # for, at most ~16 ms each on an event of 3,000 teams and 500 judges (docs/performance.md).
    "storage/history.py",
]

# Files, each for a reason:
FILES_MAY_BLOCK: list[tuple[str, frozenset[str] | None]] = [
    ("storage/db.py", None),  # opening, locking and migrating a database (start-up, once)
    ("storage/replica.py", frozenset({"open", "close"})),  # its folder and lock file, likewise
    ("sync/tls.py", None),  # making and loading the host's certificate (start-up, once)
    ("storage/demo.py", None),  # reading the demo event from resources (start-up, once)
    ("storage/rebuild.py", None),  # rebuilding a lost host: an organiser's deliberate step
    ("desktop/theme.py", frozenset({"style_sheet"})),  # a style sheet from resources
    ("desktop/host_model.py", frozenset({"read_text_file"})),  # the CSV the organiser picked
    ("desktop/controllers.py", frozenset({"export"})),  # the export file the organiser named
    # The event file the organiser picked or named (File ▸ Load/Save event file…): a few KB.
    ("desktop/controllers.py", frozenset({"plan_event_file", "save_event_file"})),
    ("desktop/app.py", frozenset({"_remove_database"})),  # a new demo's stale laptops, at start
    # The standard library's own: log lines to stderr, lazy imports (through PySide6's import
    # hook too, which reads the imported module's source), traceback source lines.
    ("logging/__init__.py", frozenset({"emit", "flush"})),
    ("<frozen importlib._bootstrap>", frozenset({"_find_and_load"})),
    ("<frozen importlib._bootstrap_external>", frozenset({"get_data", "path_stats"})),
    ("shibokensupport/feature.py", frozenset({"feature_imported"})),
    ("linecache.py", frozenset({"updatecache", "checkcache"})),
]


def _allow(buster: blockbuster.BlockBuster) -> None:
    for name, function in buster.functions.items():
        if name.startswith("sqlite3."):
            for module in SQLITE_MAY_BLOCK:
                function.can_block_in(module, _functions_of(module))
            continue
        for module, names in FILES_MAY_BLOCK:
            allowed = names if names is not None else _functions_of(module)
            function.can_block_in(module, set(allowed))


@contextmanager
def no_blocking_in_loop() -> Iterator[blockbuster.BlockBuster]:
    """Raise BlockingError for a blocking call by product code in a running loop, but the above."""
    buster = blockbuster.BlockBuster(PRODUCT)
    _allow(buster)
    buster.activate()
    try:
        yield buster
    finally:
        buster.deactivate()
