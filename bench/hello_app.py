"""A bare Litestar hello-world app: the ceiling of Litestar + uvicorn on this machine, served
exactly as `copydesk api` is (see `bench.servers.serve_asgi`). Used by bench 4."""

from litestar import Litestar, get


@get("/", sync_to_thread=False)
def hello() -> dict[str, str]:
    return {"hello": "world"}


app = Litestar(route_handlers=[hello], debug=False)
