"""passeur serve: LibreTranslate's HTTP API, the newsroom's glossary enforced for every client.

The server is a front end, as the command line is: it imports nothing of passeur's but
passeur.api (tests/test_structure.py). One SharedEngine serves every request: each request runs
its own pipeline in its own thread, and their sentences are decoded together, models loaded
once, the translation cache shared.

It runs on waitress, the production WSGI server LibreTranslate itself uses: pure Python (no
compiler, nothing beside the package registry), a fixed pool of worker threads, and request
bodies read whole by its I/O loop before a worker sees them, so a slow client holds a
connection, never a thread; it caps connections, header and body sizes, and closes idle
channels. Requests are parsed by werkzeug, as Flask does in LibreTranslate.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # werkzeug and waitress load when a server is made: `passeur --help` never needs them
    from passeur.server.app import App, Settings


@dataclass(frozen=True)
class Listen:
    """Where and how waitress listens."""

    host: str = "127.0.0.1"
    port: int = 5000
    threads: int = 16  # requests handled at once; their sentences are decoded together
    connection_limit: int = 200
    channel_timeout: int = 60  # seconds a connection may stay idle (a slow client) before it is closed
    trusted_proxy: str | None = None  # the proxy whose X-Forwarded-For gives the client's address


def create_app(settings: "Settings | None" = None, engine=None) -> "App":
    """The WSGI application; `engine` shared by every request (default: the argos engine and its
    cache, behind a SharedEngine)."""
    from passeur import api
    from passeur.server.app import App, Settings

    return App(settings or Settings(), engine if engine is not None else api.shared_engine())


class Running:
    """A server that listens: its port, and a way to stop it from another thread."""

    def __init__(self, server):
        self.server = server
        self.port = server.effective_port

    def stop(self) -> None:
        """Stop accepting, finish the requests under way, close every connection (a browser keeps
        its own open), so that serve() returns."""
        server = self.server

        def close_all():
            for channel in list(server._map.values()):
                channel.close()

        server.task_dispatcher.shutdown()
        try:
            server.trigger.pull_trigger(close_all)  # run in the server's own loop
        except OSError:  # the loop is gone already
            pass


def serve(app: "App", listen: Listen = Listen(), ready=None) -> None:
    """Serve until interrupted (or stopped); `ready(Running)` is called once it listens."""
    from waitress.server import create_server

    options = dict(host=listen.host, port=listen.port, threads=listen.threads, connection_limit=listen.connection_limit,
                   channel_timeout=listen.channel_timeout, max_request_body_size=app.settings.max_body,
                   max_request_header_size=64 * 1024, ident="passeur", expose_tracebacks=False,
                   clear_untrusted_proxy_headers=True)
    if listen.trusted_proxy:
        options.update(trusted_proxy=listen.trusted_proxy, trusted_proxy_headers={"x-forwarded-for"})
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "task queue depth" is the queue doing its job
    server = create_server(app, **options)
    if ready:
        ready(Running(server))
    try:
        server.run()
    finally:
        server.task_dispatcher.shutdown()
        if app.store is not None:
            app.store.close()


__all__ = ["Listen", "Running", "create_app", "serve"]
