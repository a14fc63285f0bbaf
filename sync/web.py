"""The host's web port: the browser pages' files over HTTP and their WebSocket (protocol 13).

A thin driver, like `sync.server`: the pages are a fixed table of files from resources/web/,
served through websockets' own HTTP handling (`process_request`); the page's socket at `/live`
is a session of the host's core, which welcomes it as the role the page mirrors
(`sync.feeds.PAGES`) and from then on sends it what that role receives. Nothing here decides
what a browser may read.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
from http import HTTPStatus
from typing import TYPE_CHECKING, ClassVar, cast

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import Headers
from websockets.http11 import Request, Response

import resources
from sync.discovery import serving_addresses
from sync.limits import Admission
from sync.server import HostConnection

if TYPE_CHECKING:
    from sync.server import HostServer

log = logging.getLogger("tallyboard.web")

LIVE_PATH = "/live"  # the pages' WebSocket
# Every path the web port answers, and the file and type it answers with; anything else is 404.
# A request line never becomes a file name: only these names are ever read.
PAGES: dict[str, tuple[str, str]] = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/team": ("team.html", "text/html; charset=utf-8"),
    "/tallyboard.css": ("tallyboard.css", "text/css; charset=utf-8"),
    "/tallyboard.js": ("tallyboard.js", "text/javascript; charset=utf-8"),
    "/icon.svg": ("icon.svg", "image/svg+xml"),
}
# Nothing inline, nothing from another origin; the socket only to this host (docs/security.md).
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
MAX_PAGE_FRAME = 4096  # a page sends a hello (a join code in it) and leaderboard_requests


DEFAULT_PORT = 8766  # the sync port's neighbour


def page_urls(bind: str, port: int, path: str = "/") -> list[str]:
    """Return the page's address at each address a host bound to `bind` is reached at."""
    return [f"http://{address}:{port}{path}" for address in serving_addresses(bind)]


def team_link(url: str, code: str) -> str:
    """Return a team's join link for the team page: its code in the fragment, never sent."""
    return f"{url.rstrip('/')}/team#code={code}"


def load_pages() -> dict[str, tuple[bytes, str]]:
    """Read every page's file once: path -> (body, content type)."""
    folder = resources.path("web")
    return {path: ((folder / name).read_bytes(), kind) for path, (name, kind) in PAGES.items()}


def response(status: HTTPStatus, body: bytes, kind: str) -> Response:
    """Return an HTTP response with the headers every answer of the web port carries."""
    headers = Headers(
        [
            ("Date", email.utils.formatdate(usegmt=True)),
            ("Connection", "close"),
            ("Content-Length", str(len(body))),
            ("Content-Type", kind),
            ("Content-Security-Policy", CSP),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "no-referrer"),
            ("Cache-Control", "no-cache"),
        ]
    )
    return Response(status.value, status.phrase, headers, body)


class WebConnection(HostConnection):
    """A browser's connection: admitted by address for its whole life, never under TLS."""

    web: ClassVar[WebServer]  # set on a subclass per server (WebServer.start)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Admit the connection by its address, then hand it to websockets."""
        if self.raw is None:
            self.raw = cast(asyncio.Transport, transport)
            peer = transport.get_extra_info("peername")
            self.address = str(peer[0]) if peer else "?"
            self.web.admit(self)
        self.opened = True
        ServerConnection.connection_made(self, transport)

    def release(self) -> None:
        """Stop counting this connection: it closed."""
        self.web.admission.release(self)

    def welcomed(self) -> None:
        """Keep counting a welcomed page: a browser is no device, its slot is its whole life."""


class WebServer:
    """Serve the browser pages of one host on a port of their own."""

    def __init__(self, host: HostServer) -> None:
        self.host = host
        config = host.config
        self.admission: Admission[WebConnection] = Admission(
            config.max_web_per_address, config.max_web
        )
        self.shed = 0  # connections shed to make room for newer ones, since the start
        self.pages: dict[str, tuple[bytes, str]] = {}
        self._server: Server | None = None

    @property
    def port(self) -> int:
        """The port actually bound (useful with port 0)."""
        assert self._server is not None
        return int(next(iter(self._server.sockets)).getsockname()[1])

    async def start(self) -> None:
        """Listen on the web port."""
        config = self.host.config
        assert config.web_port is not None
        self.pages = await asyncio.to_thread(load_pages)  # a file read must not hold the loop

        class Connection(WebConnection):
            host = self.host
            web = self

        self._server = await serve(
            self._handle,
            config.bind,
            config.web_port,
            create_connection=Connection,
            compression=None,  # deflate would triple the cost of every broadcast
            max_size=MAX_PAGE_FRAME,
            ping_interval=config.ping_interval,
            ping_timeout=config.ping_interval,
            process_request=self._route,
            server_header="Tallyboard",
        )
        log.debug("serving the pages on %s:%d", config.bind, self.port)

    async def stop(self) -> None:
        """Close every browser's connection and stop listening."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    def admit(self, connection: WebConnection) -> None:
        """Count a new connection; shed what it pushes out (sync.limits.Admission)."""
        for old in self.admission.admit(connection, connection.address):
            self.shed += 1
            if self.shed & (self.shed - 1) == 0:  # 1, 2, 4, 8...: a flood must not flood the log
                log.warning(
                    "shed %d browser connections so far; the last from %s", self.shed, old.address
                )
            if old.session is not None:
                self.host.forget(old.session)
            old.shed()

    def _route(self, connection: ServerConnection, request: Request) -> Response | None:
        # The query is ignored; a join link's code is in the fragment, which no browser sends.
        path = request.path.split("?", 1)[0]
        if path == LIVE_PATH:
            return None  # the WebSocket handshake
        page = self.pages.get(path)
        if page is None:
            return response(HTTPStatus.NOT_FOUND, b"Not found\n", "text/plain; charset=utf-8")
        return response(HTTPStatus.OK, *page)

    async def _handle(self, connection: ServerConnection) -> None:
        await self.host.serve_connection(connection, self.host.core.receive_page)
