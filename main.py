"""Tallyboard's command line: pick the mode or tool, then run it."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from storage import demo, export, paths
from storage.db import DatabaseError
from storage.replica import Replica


class CommandError(Exception):
    """A command cannot run; its message is the one line the user sees."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _open(path: str, *, create: bool) -> Replica:
    return Replica.open(Path(path), create=create)


def cmd_export(args: argparse.Namespace) -> int:
    """Write the replica's canonical state as JSON or CSV."""
    replica = _open(args.db, create=False)
    try:
        text = export.render(replica, args.format)
    finally:
        replica.close()
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def cmd_codes(args: argparse.Namespace) -> int:
    """Print the join codes as a JSON list of {role, id, name, code}."""
    replica = _open(args.db, create=False)
    try:
        codes = replica.join_codes()
    finally:
        replica.close()
    sys.stdout.write(json.dumps(codes, indent=2, ensure_ascii=False) + "\n")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Seed the demo event (once) and print an overview of it."""
    db = args.db or str(paths.default_db("demo"))
    replica = _open(db, create=True)
    try:
        seeded = demo.seed_demo(replica)
        state = replica.state
        event = state.event()
        out = sys.stdout
        out.write(f"{event['name']}  ({'seeded now' if seeded else 'already seeded'}: {db})\n")
        out.write(f"phase: {event['phase']}\n\ncriteria:\n")
        for c in state.criteria():
            out.write(f"  {c['name']:<12} {c['min']:g}..{c['max']:g} weight {c['weight']:g}\n")
        out.write("\njoin codes:\n")
        for code in replica.join_codes():
            out.write(f"  {code['role']:<8} {code['name']:<18} {code['code']}\n")
        out.write("\nleaderboard:\n")
        for row in replica.board.rows():
            total = "  --  " if row.total_score is None else f"{row.total_score:6.2f}"
            rank = "-" if row.rank is None else str(row.rank)
            out.write(f"  {rank:>3}  {row.team_name:<18} {total}  judges {row.judge_count}\n")
    finally:
        replica.close()
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Return the command-line parser."""
    parser = _Parser(prog="tallyboard", description="Offline-first judging for competitions.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("export", help="write the results and state of a database")
    p.add_argument("--db", required=True, help="the database file")
    p.add_argument("--format", required=True, choices=export.FORMATS)
    p.add_argument("--output", help="write to this file instead of standard output")
    p.set_defaults(run=cmd_export)

    p = sub.add_parser("codes", help="print the join codes of a host database as JSON")
    p.add_argument("--db", required=True, help="the host's database file")
    p.set_defaults(run=cmd_codes)

    p = sub.add_parser("demo", help="seed the demo event and show it")
    p.add_argument("--db", help="the database file (default: demo.db in the app-data folder)")
    p.set_defaults(run=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        status: int = args.run(args)
    except BrokenPipeError:
        # The reader (say, `| head`) went away: not an error of ours, and nothing to report.
        sys.stderr.close()
        return 0
    except (CommandError, DatabaseError, OSError, ValueError) as exc:
        sys.stderr.write(f"tallyboard: error: {exc}\n")
        return 1
    return status


if __name__ == "__main__":
    sys.exit(main())
