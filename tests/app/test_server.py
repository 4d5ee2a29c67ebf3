"""Serving the app: its own Host and Origin only, a cap on sessions, memory given back."""

from __future__ import annotations

import asyncio

import pytest

from collab_sim.app import page, server

PORT = 8765


class Recorder:
    """A stand-in for solara's app: records what reached it, answers 200 / accepts."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.release = asyncio.Event()

    async def __call__(self, scope, receive, send):
        self.calls.append(scope["path"])
        if scope["type"] == "websocket":
            await send({"type": "websocket.accept"})
            await self.release.wait()  # the session stays open until released
            return
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"page"})


def _scope(kind, path="/", host="127.0.0.1:8765", origin=None):
    headers = [(b"host", host.encode())]
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    scheme = "ws" if kind == "websocket" else "http"
    return {
        "type": kind, "path": path, "headers": headers, "query_string": b"", "scheme": scheme,
        "server": ("127.0.0.1", PORT),
    }  # fmt: skip


async def _call(app, scope):
    """Send one request or websocket through ``app``; the messages it sent back."""
    sent = []

    async def receive():
        await asyncio.sleep(3600)

    async def send(message):
        sent.append(message)

    await app(scope, receive, send)
    return sent


def _status(sent):
    start = [m for m in sent if m["type"] == "http.response.start"]
    return start[0]["status"] if start else None


def test_a_request_naming_another_host_is_refused():
    inner = Recorder()
    app = server.guard(inner, "127.0.0.1", PORT)
    for host in ("127.0.0.1:8765", "localhost:8765", "localhost"):
        assert _status(asyncio.run(_call(app, _scope("http", host=host)))) == 200, host
    for host in ("evil.example", "evil.example:8765", "192.168.1.5:8765"):
        assert _status(asyncio.run(_call(app, _scope("http", host=host)))) == 400, host
    assert len(inner.calls) == 3


def test_a_session_from_another_origin_is_refused():
    inner = Recorder()
    app = server.guard(inner, "127.0.0.1", PORT)
    path = "/jupyter/api/kernels/k1/channels"
    for origin in ("http://evil.example:8765", "http://127.0.0.1:9999", "null"):
        sent = asyncio.run(_call(app, _scope("websocket", path, origin=origin)))
        assert sent == [{"type": "websocket.close", "code": 1008, "reason": "origin"}], origin
    assert inner.calls == []
    guard = server.LocalSessions(inner, server.allowed_hosts("127.0.0.1"), PORT, 1)
    assert guard.own_origin("http://localhost:8765") and guard.own_origin("http://127.0.0.1:8765")


def test_sessions_beyond_the_cap_get_a_polite_page():
    async def scenario():
        inner = Recorder()
        app = server.guard(inner, "127.0.0.1", PORT, max_sessions=2)
        path = "/jupyter/api/kernels/k{}/channels"
        origin = "http://127.0.0.1:8765"
        open_sessions = [
            asyncio.create_task(_call(app, _scope("websocket", path.format(k), origin=origin)))
            for k in range(2)
        ]
        await asyncio.sleep(0.05)
        third = await _call(app, _scope("websocket", path.format(3), origin=origin))
        busy = await _call(app, _scope("http", "/"))
        asset = await _call(app, _scope("http", "/static/main.js"))
        inner.release.set()  # both sessions close
        await asyncio.gather(*open_sessions)
        again = await _call(app, _scope("http", "/"))
        return third, busy, asset, again

    third, busy, asset, again = asyncio.run(scenario())
    assert third == [{"type": "websocket.close", "code": 1013, "reason": "busy"}]
    assert _status(busy) == 503
    body = b"".join(m.get("body", b"") for m in busy).decode()
    assert "already shows 2 sessions" in body and "Traceback" not in body
    assert _status(asset) == 200  # the open sessions' pages keep loading what they need
    assert _status(again) == 200  # a closed tab frees its place


@pytest.mark.parametrize(
    ("argv", "message"),
    [(["--port", "0"], "--port=0"), (["--max-sessions", "0"], "--max-sessions=0")],
)
def test_bad_server_options_are_one_line_errors(argv, message, capsys):
    with pytest.raises(SystemExit) as exc:
        server.main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1


def test_a_closed_session_is_freed_after_solara_drops_it(monkeypatch):
    freed = []
    monkeypatch.setattr(page, "free_closed_session", lambda: freed.append(True))
    monkeypatch.setattr(page, "FREE_DELAY", 0.01)
    on_close = page._on_session_start()
    on_close()
    for _ in range(200):
        if freed:
            break
        asyncio.run(asyncio.sleep(0.01))
    assert freed == [True]
