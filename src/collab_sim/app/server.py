"""Serve the educator app (``make app``): solara's server, open to this computer only.

    python -m collab_sim.app.server [--host 127.0.0.1] [--port 8765] [--max-sessions 10]

Runs solara's Starlette app (what ``solara run`` serves) for :mod:`collab_sim.app.page`
under uvicorn, behind three checks that ``solara run`` does not make:

* **Host**: a request whose ``Host`` header names another machine is refused (400), so a
  web page elsewhere cannot reach the app through a name that resolves to this computer
  (DNS rebinding). Starlette's ``TrustedHostMiddleware`` does it.
* **Origin**: a websocket (a browser session's connection) whose ``Origin`` is not the
  app's own address is refused (403): only the app's own page may drive a session.
* **Sessions**: at most ``--max-sessions`` browser sessions at once. Another page load
  gets a polite page (503) saying so; each session costs about 12 MB and their first
  renders queue behind each other, so fifty tabs made every tab wait about a minute.

A session's memory is freed when its browser tab has gone: solara closes the session
after ``SOLARA_KERNEL_CULL_TIMEOUT`` (60 s with ``make app``), and
:func:`~collab_sim.app.page.free_closed_session` returns its memory to the system.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

#: The page ``solara run`` would serve.
PAGE = Path(__file__).with_name("page.py")
#: Browser sessions served at once, unless ``--max-sessions`` says otherwise.
MAX_SESSIONS = 10
#: The websocket path of a session's connection (solara's kernel channel).
SESSION_PATH = "/jupyter/api/kernels/"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

BUSY_PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'><title>collab_sim is busy</title></head>"
    "<body style='font-family: sans-serif; max-width: 40em; margin: 4em auto'>"
    "<h1>The app is busy</h1><p>It already shows {n} sessions (browser tabs), as many as it "
    "serves at once. Close a tab you no longer need, wait a minute, and reload this page.</p>"
    "</body></html>"
)


def allowed_hosts(host: str) -> list[str]:
    """Host names a request may name: the address served, and its local aliases."""
    names = {host}
    try:
        loopback = ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if loopback:  # not "[::1]": Starlette's host check cannot read an IPv6 literal
        names |= {"localhost", "127.0.0.1"}
    return sorted(names)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


class LocalSessions:
    """ASGI middleware: websockets from the app's own page only, and a session cap.

    Args:
        app: The app to protect (solara's).
        hosts: Host names of the app's own address (:func:`allowed_hosts`).
        port: The port served.
        max_sessions: Sessions served at once.

    Attributes:
        sessions: Sessions connected now.
    """

    def __init__(self, app: ASGIApp, hosts: list[str], port: int, max_sessions: int) -> None:
        self.app = app
        self.hosts = set(hosts)
        self.port = port
        self.max_sessions = max_sessions
        self.sessions = 0

    def own_origin(self, origin: str | None) -> bool:
        """Whether a websocket's ``Origin`` is this app's address."""
        if origin is None:  # not a browser (a browser always sends one)
            return True
        parts = urlsplit(origin)
        host = parts.hostname or ""
        host = f"[{host}]" if ":" in host else host
        return host in self.hosts and (parts.port or 80) == self.port

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check a connection, then hand it to the app."""
        kind, path = scope["type"], scope.get("path", "")
        if kind == "websocket" and path.startswith(SESSION_PATH):
            if not self.own_origin(_header(scope, b"origin")):
                await send({"type": "websocket.close", "code": 1008, "reason": "origin"})
                return
            if self.sessions >= self.max_sessions:
                await send({"type": "websocket.close", "code": 1013, "reason": "busy"})
                return
            self.sessions += 1
            try:
                await self.app(scope, receive, send)
            finally:
                self.sessions -= 1
            return
        if kind == "http" and self.sessions >= self.max_sessions and _is_page(path):
            body = BUSY_PAGE.format(n=self.sessions).encode()
            await send({"type": "http.response.start", "status": 503,
                        "headers": [(b"content-type", b"text/html; charset=utf-8"),
                                    (b"retry-after", b"60")]})  # fmt: skip
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)


#: Path prefixes of what a page loads (scripts, styles, API calls), not the page itself.
ASSET_PREFIXES = ("/static", "/_solara", "/jupyter", "/resourcez", "/readyz")


def _is_page(path: str) -> bool:
    """Whether a path is the page itself (not one of its scripts, styles or API calls)."""
    if path in ("", "/"):
        return True
    return not path.startswith(ASSET_PREFIXES) and "." not in path.rsplit("/", 1)[-1]


def guard(app: ASGIApp, host: str, port: int, max_sessions: int = MAX_SESSIONS) -> ASGIApp:
    """``app`` behind the host check (Starlette's), then the origin and session checks."""
    from starlette.middleware.trustedhost import TrustedHostMiddleware

    hosts = allowed_hosts(host)
    sessions = LocalSessions(app, hosts, port, max_sessions)
    return TrustedHostMiddleware(sessions, allowed_hosts=hosts)


def protected_app(host: str, port: int, max_sessions: int = MAX_SESSIONS) -> ASGIApp:
    """Solara's app for :data:`PAGE`, behind :func:`guard`.

    Sets ``SOLARA_APP`` before importing solara's server, which reads it then.
    """
    os.environ["SOLARA_APP"] = str(PAGE)
    os.environ["SERVER_NAME"], os.environ["SERVER_PORT"] = host, str(port)  # as solara run
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    from solara.server.starlette import app as solara_app

    return guard(solara_app, host, port, max_sessions)


def main(argv: list[str] | None = None) -> None:
    """Serve the app until interrupted (Ctrl+C)."""
    parser = argparse.ArgumentParser(prog="python -m collab_sim.app.server", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to serve (this computer)")
    parser.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    parser.add_argument(
        "--max-sessions", type=int, default=MAX_SESSIONS,
        help=f"browser sessions served at once (default {MAX_SESSIONS})",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if not 1 <= args.port <= 65535:
        parser.exit(2, f"collab-sim app: --port={args.port}; allowed: 1-65535\n")
    if args.max_sessions < 1:
        parser.exit(2, f"collab-sim app: --max-sessions={args.max_sessions}; must be >= 1\n")
    import uvicorn

    app = protected_app(args.host, args.port, args.max_sessions)
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"collab_sim app: open http://{shown}:{args.port} in your browser (Ctrl+C stops it)",
          flush=True)  # fmt: skip
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
