"""Tallyboard's command line: pick the mode or tool, then run it."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import re
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from desktop.about import version  # no Qt: the version Help ▸ About shows, printed without it
from storage import demo, eventfile, export, paths, reports
from storage.db import DatabaseError, DatabaseLock
from storage.hlc import system_ms
from storage.rebuild import rebuild_host
from storage.replica import Replica
from sync import rehearse
from sync.discovery import parse_target
from sync.peer import PeerConfig
from sync.server import HostConfig, HostServer
from sync.web import DEFAULT_PORT as WEB_PORT


class CommandError(Exception):
    """A command cannot run; its message is the one line the user sees."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _open(path: str, *, create: bool, exclusive: bool = False) -> Replica:
    return Replica.open(Path(path), create=create, exclusive=exclusive)


def cmd_export(args: argparse.Namespace) -> int:
    """Write the replica's canonical state as JSON or CSV, or a printed document as PDF."""
    if args.format == "pdf":
        return _export_pdf(args)
    if args.what:
        raise CommandError("--what picks a printed document: it goes with --format pdf")
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


def _export_pdf(args: argparse.Namespace) -> int:
    """Write one printed document (results, feedback, certificates, sheets) as an A4 PDF."""
    if not args.what:
        raise CommandError("--format pdf needs --what: results, feedback, certificates or sheets")
    if not args.output:
        raise CommandError("--format pdf needs --out FILE: a PDF is not written to the terminal")
    replica = _open(args.db, create=False)
    try:
        if not has_screen():
            os.environ["QT_QPA_PLATFORM"] = "offscreen"  # Qt lays out type; it needs no screen
        # Qt is loaded only here: the other exports and the headless host run without it.
        from desktop import i18n, printing  # noqa: PLC0415

        app = printing.application()
        i18n.install(app, i18n.choose(args.lang))
        document = printing.build(args.what, replica.state, replica.board.rows())
    finally:
        replica.close()
    pages = printing.write_pdf(Path(args.output), document)
    sys.stdout.write(f"wrote {document.title}, {pages} page(s), to {args.output}\n")
    return 0


def cmd_event(args: argparse.Namespace) -> int:
    """Load the host's event from a JSON or TOML file, or dump it (docs/protocol.md 5a)."""
    if args.load is None:
        replica = _open(args.db, create=False)
        try:
            sys.stdout.write(eventfile.render(replica.state, args.format or "json"))
        finally:
            replica.close()
        return 0
    try:
        text = Path(args.load).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"cannot read {args.load}: {exc}") from exc
    fmt = args.format or eventfile.format_of(args.load)
    replica = _open(args.db, create=True, exclusive=True)
    try:
        replica.register_self()
        changes = eventfile.plan_event(eventfile.parse_text(text, fmt), replica.state)
        problems = eventfile.check_plan(changes, replica.state, system_ms())
        if problems:
            raise eventfile.EventFileError(problems)
        replica.admin_all([(c.kind, c.body) for c in changes])
        replica.ensure_codes()  # each judge and team the file added can join at once
    except eventfile.EventFileError as exc:
        sys.stderr.write(
            f"tallyboard: error: {args.load} was not loaded; nothing changed:\n"
            + "".join(f"  {problem}\n" for problem in exc.problems)
        )
        return 1
    finally:
        replica.close()
    sys.stderr.write(f"{args.load}: {len(changes)} change(s) made to the event\n")
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


def has_screen() -> bool:
    """Tell whether windows can be shown: a display server, or a Qt platform chosen explicitly."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _desktop(mode: str, args: argparse.Namespace, **options: Any) -> int:
    """Run a window mode of the desktop app."""
    if not has_screen():
        raise CommandError(
            f"the {mode} window needs a screen, and this session has none (no DISPLAY);"
            " run it on a desktop, or set QT_QPA_PLATFORM=offscreen to run it unseen"
        )
    # Qt is loaded only for the window modes, so the headless host and the tools run without it.
    from desktop.app import Options, run  # noqa: PLC0415

    db = Path(args.db) if getattr(args, "db", None) else None
    chosen = Options(
        mode=mode,
        db=db,
        connect=getattr(args, "connect", None),
        code=getattr(args, "code", None),
        insecure=getattr(args, "insecure", False),
        fullscreen=getattr(args, "fullscreen", False),
        lang=getattr(args, "lang", None),
        **options,
    )
    if chosen.database.exists():
        # A database another process holds is refused here, in one line, before any window;
        # the window takes the lock itself when it opens the database.
        DatabaseLock.acquire(chosen.database).release()
    return run(chosen)


def cmd_peer(args: argparse.Namespace) -> int:
    """Open the judge, team or display window."""
    _log_setup(args.verbose)
    if args.connect:
        parse_target(args.connect)  # a typing mistake fails here, with its reason
    return _desktop(args.command, args)


def cmd_demo(args: argparse.Namespace) -> int:
    """Open the whole system on the demo event, or print an overview of it (--print)."""
    if not args.print:
        _log_setup(args.verbose)
        if has_screen():
            # No --port: any free port (app.py), since the demo's own windows are told which.
            return _desktop(
                "demo",
                args,
                port=args.port,
                mdns=not args.no_mdns,
                web_port=args.web_port,
                web=not (args.no_web or args.web_port == 0),
            )
        # On a machine with no screen the demo is the headless host on the demo event, with
        # what to run next printed: the windows need a screen, the system does not.
        sys.stderr.write(
            "tallyboard: no screen here, so the demo runs as a headless host; from another"
            " terminal, `main.py rehearse` scores it and `main.py export` shows the results\n"
        )
        # Parsed like a typed `host` command, so every host option has its default.
        argv = ["host", "--headless", "--demo", "--bind", "127.0.0.1"]  # a demo stays here
        argv += ["--db", args.db] if args.db else []
        argv += ["--port", str(args.port)] if args.port is not None else []
        argv += ["--no-mdns"] if args.no_mdns else []
        argv += ["--web-port", str(args.web_port)] if args.web_port is not None else []
        argv += ["--no-web"] if args.no_web else []
        argv += ["--verbose"] if args.verbose else []
        return cmd_host(build_parser().parse_args(argv))
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


def _log_setup(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # websockets logs every connection at INFO; the host logs what matters itself.
    logging.getLogger("websockets").setLevel(logging.WARNING)


async def _serve(replica: Replica, config: HostConfig, ready: Callable[[HostServer], None]) -> None:
    server = HostServer(replica, config)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)  # before the banner: a script may stop us then
    try:
        await server.start()
    except OSError as exc:
        ports = f"{config.bind}:{config.port}"
        if config.web_port is not None:
            ports += f" (sync) and {config.web_port} (pages)"
        raise CommandError(
            f"cannot listen on {ports}: {exc.strerror or exc}"
            " (is another host running? pick another --port or --web-port, or --no-web)"
        ) from exc
    ready(server)
    try:
        await stop.wait()
    finally:
        logging.getLogger("tallyboard.host").info("stopping")
        await server.stop()


def _rebuild(args: argparse.Namespace) -> None:
    """Create the host database `--db` from the judge replica `--from-replica`, and say so."""
    if not args.db:
        raise CommandError(
            "--from-replica needs --db NEW_DB: a new file for the rebuilt host's database"
        )
    if args.demo:
        raise CommandError("--from-replica rebuilds a real event: it does not take --demo")
    report = rebuild_host(args.from_replica, args.db)
    sys.stdout.write("\n".join(report.lines()) + "\n")
    sys.stdout.flush()


def cmd_host(args: argparse.Namespace) -> int:
    """Run the host: the sync server of one event (with --headless, no window at all)."""
    _log_setup(args.verbose)
    if args.from_replica:
        _rebuild(args)
    if not args.headless and not has_screen():
        sys.stderr.write("tallyboard: no screen here: running the host headless (--headless)\n")
        args.headless = True
    if not args.headless:
        return _desktop(
            "host",
            args,
            port=args.port,
            bind=args.bind,
            mdns=not args.no_mdns,
            seed_demo=args.demo,
            web_port=args.web_port,  # None: the default port, given up if it is taken
            web=_web_port(args) is not None,
        )
    # The demo lives in its own database, so that trying it never touches a real event's.
    db = Path(args.db) if args.db else paths.default_db("demo" if args.demo else "host")
    replica = _open(str(db), create=True, exclusive=True)
    try:
        if args.demo:
            demo.seed_demo(replica)
        replica.register_self()
        replica.ensure_codes()  # a judge or team added by a tool (an event file) has none yet
        config = HostConfig(
            bind=args.bind,
            port=args.port,
            secure=not args.insecure,
            advertise=not args.no_mdns,
            web_port=_web_port(args),
            web_optional=args.web_port is None,
        )

        def ready(server: HostServer) -> None:
            out = sys.stdout
            out.write(f"Tallyboard host: {replica.state.event()['name']}\n")
            out.write(f"  database     {db}\n")
            out.write(f"  listening    {server.url}\n")
            for url in server.web_urls:
                out.write(f"  public page  {url}   (team page: {url}team)\n")
            if config.web_port is not None and server.web is None:
                out.write(
                    f"  public page  none: port {config.web_port} is taken"
                    " (--web-port N serves the pages on another)\n"
                )
            if server.fingerprint:
                out.write(f"  fingerprint  {server.fingerprint}\n")
            else:
                out.write(
                    "  WARNING      --insecure: plain ws://, for loopback tests and demos only\n"
                )
            out.write(f"  join codes   tallyboard codes --db {db}\n")
            out.flush()

        asyncio.run(_serve(replica, config, ready))
    finally:
        replica.close()
    return 0


def cmd_rehearse(args: argparse.Namespace) -> int:
    """Run simulated judges against a host and print one JSON line of figures."""
    _log_setup(args.verbose)
    logging.getLogger("tallyboard").setLevel(logging.DEBUG if args.verbose else logging.WARNING)
    codes = rehearse.load_codes(Path(args.codes))
    if args.connect:
        parse_target(args.connect)  # a typing mistake fails here, with its reason
    config = PeerConfig(target=args.connect, secure=not args.insecure, fingerprint=args.fingerprint)
    coroutine = rehearse.rehearse(codes, Path(args.data), config, seed=args.seed, rate=args.rate)
    try:
        summary = asyncio.run(asyncio.wait_for(coroutine, args.timeout))
    except TimeoutError:
        raise CommandError(
            f"not every op had an outcome within {args.timeout:g} s; run again to resume"
        ) from None
    except RuntimeError as exc:
        raise CommandError(str(exc)) from exc
    sys.stdout.write(json.dumps(summary) + "\n")
    return 0


def _web_port(args: argparse.Namespace) -> int | None:
    """Return the web port asked for (8766 unless chosen): None for no pages (`--no-web`,
    `--web-port 0`)."""
    if args.no_web or args.web_port == 0:
        return None
    return WEB_PORT if args.web_port is None else int(args.web_port)


def _add_web(p: argparse.ArgumentParser, default: str) -> None:
    """Add --web-port and --no-web to a command that serves a host."""
    p.add_argument(
        "--web-port",
        type=_port,
        help=f"the port of the pages for browsers (default {default}; 0: none)",
    )
    p.add_argument("--no-web", action="store_true", help="serve no pages for browsers")


def _fingerprint(text: str) -> str:
    if not re.fullmatch(r"[0-9a-fA-F]{64}", text.strip()):
        raise argparse.ArgumentTypeError("a fingerprint is 64 hex digits (SHA-256)")
    return text.strip().lower()


def _positive(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number")
    return value


def _port(text: str) -> int:
    value = int(text)
    if not 0 <= value < 65536:
        raise argparse.ArgumentTypeError(f"{text} is not a port number")
    return value


def _add_lang(p: argparse.ArgumentParser) -> None:
    """Add --lang to a window command."""
    p.add_argument(
        "--lang",
        metavar="LANG",
        help="the windows' language: es or en (default: $TALLYBOARD_LANG, else the system's)",
    )


def _add_host(sub: Any) -> None:
    """Add the `host` command."""
    p = sub.add_parser("host", help="run the host: the event's sync server")
    p.add_argument(
        "--db",
        help="the host's database (default: host.db, or demo.db with --demo,"
        " in the app-data folder)",
    )
    p.add_argument("--port", type=_port, default=8765, help="the sync port (default 8765)")
    p.add_argument("--bind", default="0.0.0.0", help="the address to listen on (default: all)")
    p.add_argument("--headless", action="store_true", help="run without any window (no Qt)")
    p.add_argument("--insecure", action="store_true", help="serve plain ws:// (tests, demos)")
    p.add_argument("--demo", action="store_true", help="seed the demo event first (once)")
    p.add_argument(
        "--from-replica",
        metavar="JUDGE_DB",
        help="the host laptop is lost: rebuild its database (--db, a new file) from this"
        " judge's replica, then run it",
    )
    p.add_argument("--no-mdns", action="store_true", help="do not advertise on mDNS")
    _add_web(p, str(WEB_PORT))
    p.add_argument("--verbose", action="store_true", help="log debugging detail")
    _add_lang(p)
    p.set_defaults(run=cmd_host)


def _add_rehearse(sub: Any) -> None:
    """Add the `rehearse` command."""
    p = sub.add_parser("rehearse", help="simulate judges against a host to prove the network")
    p.add_argument("--codes", required=True, help="the JSON that `tallyboard codes` prints")
    p.add_argument("--data", required=True, help="a folder for the simulated judges' databases")
    p.add_argument("--connect", help="host:port (default: find the host over mDNS)")
    p.add_argument("--insecure", action="store_true", help="connect with plain ws://")
    p.add_argument(
        "--fingerprint",
        type=_fingerprint,
        help="the host certificate's fingerprint (its console shows it): over mDNS, the host"
        " of that certificate is the one to join, whatever other hosts are advertised",
    )
    p.add_argument("--rate", type=_positive, help="ops a second, all judges together")
    p.add_argument("--seed", type=int, default=1, help="the seed the scores derive from")
    p.add_argument("--timeout", type=_positive, default=300.0, help="give up after S seconds")
    p.add_argument("--verbose", action="store_true", help="log the links' traffic")
    p.set_defaults(run=cmd_rehearse)


def _add_peers(sub: Any) -> None:
    """Add the `judge`, `team` and `display` commands."""
    for mode, what in (
        ("judge", "score teams"),
        ("team", "follow your team's results"),
        ("display", "show the leaderboard on a projector"),
    ):
        p = sub.add_parser(mode, help=f"open the {mode} window: {what}")
        p.add_argument(
            "--db", help=f"this device's database (default: {mode}.db in the app-data folder)"
        )
        p.add_argument("--connect", help="host:port (default: find the host over mDNS)")
        p.add_argument("--code", help="the join code, for the first connection")
        p.add_argument("--insecure", action="store_true", help="the host serves plain ws://")
        p.add_argument("--verbose", action="store_true", help="log debugging detail")
        if mode == "display":
            p.add_argument("--fullscreen", action="store_true", help="start full screen")
        _add_lang(p)
        p.set_defaults(run=cmd_peer)


def build_parser() -> argparse.ArgumentParser:
    """Return the command-line parser."""
    parser = _Parser(prog="tallyboard", description="Offline-first judging for competitions.")
    parser.add_argument("--version", action="version", version=f"tallyboard {version()}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("export", help="write the results and state of a database")
    p.add_argument("--db", required=True, help="the database file")
    p.add_argument("--format", required=True, choices=(*export.FORMATS, "pdf"))
    p.add_argument(
        "--output", "--out", help="write to this file instead of standard output (pdf: required)"
    )
    p.add_argument(
        "--what",
        choices=reports.DOCUMENTS,
        help="with --format pdf: the document to print (results, feedback, certificates, sheets)",
    )
    _add_lang(p)
    p.set_defaults(run=cmd_export)

    p = sub.add_parser("event", help="load the host's event from a file, or dump it")
    p.add_argument("--db", required=True, help="the host's database file")
    action = p.add_mutually_exclusive_group(required=True)
    action.add_argument("--load", metavar="FILE", help="create or update the event from FILE")
    action.add_argument("--dump", action="store_true", help="write the event to standard output")
    p.add_argument(
        "--format",
        choices=eventfile.FORMATS,
        help="json or toml (default: json for --dump; by the file's name for --load)",
    )
    p.set_defaults(run=cmd_event)

    p = sub.add_parser("codes", help="print the join codes of a host database as JSON")
    p.add_argument("--db", required=True, help="the host's database file")
    p.set_defaults(run=cmd_codes)

    _add_host(sub)
    _add_rehearse(sub)
    _add_peers(sub)

    p = sub.add_parser("demo", help="open the whole system on the demo event")
    p.add_argument("--db", help="the database file (default: demo.db in the app-data folder)")
    p.add_argument(
        "--port",
        type=_port,
        help="the sync port, for judges, teams and displays started by hand (default: any"
        " free port; 8765 without a screen, as the headless host)",
    )
    p.add_argument("--no-mdns", action="store_true", help="do not advertise on mDNS")
    _add_web(p, "any free port")
    p.add_argument("--print", action="store_true", help="print the demo event instead")
    p.add_argument("--verbose", action="store_true", help="log debugging detail")
    _add_lang(p)
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
