"""Serves the API with uvicorn, one process per `--workers`.

With several workers uvicorn binds the shared socket itself with protocol 0, and asyncio sets
TCP_NODELAY only on sockets whose protocol is TCP: every keep-alive response would then wait
about 40 ms for the client's delayed ACK. So the socket is bound here, as a TCP socket.
"""

import dataclasses
import os
import socket

import uvicorn
from uvicorn.supervisors import Multiprocess

from adapters.settings import Settings
from workers.runtime import child_env


def tcp_listener(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


def serve_api(settings: Settings, host: str, port: int, workers: int = 1) -> None:
    # links in mails point at this API unless a public URL is set
    settings = dataclasses.replace(settings, host=host, port=port)
    settings = dataclasses.replace(settings, public_url=settings.links_base())
    os.environ.update(child_env(settings))
    config = uvicorn.Config("api.asgi:app_factory", factory=True, host=host, port=port,
                            workers=workers, log_level="warning", access_log=False,
                            lifespan="on")
    if workers == 1:
        uvicorn.Server(config).run()
    else:
        Multiprocess(config, sockets=[tcp_listener(host, port)]).run()
