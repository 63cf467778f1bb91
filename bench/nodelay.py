"""`copydesk` (or any uvicorn app) with uvicorn's multi-worker socket given TCP_NODELAY back.

Not the shipping code: a diagnostic variant for the benchmarks. With `--workers N > 1`,
uvicorn binds the listening socket itself with `proto` left at 0; accepted sockets inherit it,
and asyncio only sets TCP_NODELAY when `proto == IPPROTO_TCP`, so every keep-alive response
waits ≈ 40 ms for the client's delayed ACK (uvicorn issue #3149, open). Re-wrapping the bound
socket lets the kernel report its real protocol (6).

    python -m bench.nodelay api --port 8000 --workers 2      # copydesk's CLI, patched
    python -m bench.nodelay --uvicorn MODULE:APP PORT WORKERS  # any ASGI app, patched
"""

import socket
import sys

import uvicorn
import uvicorn.config

_bind_socket = uvicorn.config.Config.bind_socket


def _bind_socket_tcp(self: uvicorn.config.Config) -> socket.socket:
    sock = _bind_socket(self)
    if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.proto == 0:
        fixed = socket.socket(fileno=sock.detach())  # family/type/proto read from the fd
        fixed.set_inheritable(True)
        return fixed
    return sock


uvicorn.config.Config.bind_socket = _bind_socket_tcp  # type: ignore[method-assign]

if __name__ == "__main__":
    if sys.argv[1] == "--uvicorn":
        app, port, workers = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
        uvicorn.run(app, host="127.0.0.1", port=port, workers=workers, log_level="warning",
                    access_log=False, lifespan="on")
    else:
        from workers.cli import main

        main(sys.argv[1:])
