"""OPTIONS answers `Allow` with every method of the path, however its handlers were given."""

from uuid import UUID

from litestar import Litestar, delete, get, patch, post
from litestar.testing import TestClient

from api.options import options_for


@get("/things", sync_to_thread=False)
def list_things() -> list[str]:
    return []


@post("/things", sync_to_thread=False)
def add_thing() -> str:
    return "added"


@get("/things/{thing_id:uuid}", sync_to_thread=False)
def read_thing(thing_id: UUID) -> str:
    return str(thing_id)


@patch("/things/{thing_id:uuid}", sync_to_thread=False)
def change_thing(thing_id: UUID) -> str:
    return str(thing_id)


@delete("/things/{thing_id:uuid}", sync_to_thread=False)
def remove_thing(thing_id: UUID) -> None:
    return None


HANDLERS = [list_things, add_thing, read_thing, change_thing, remove_thing]


def test_every_method_of_a_path_is_allowed_including_those_given_after_the_first() -> None:
    with TestClient(Litestar([options_for(HANDLERS), *HANDLERS])) as client:
        things = client.options("/things")
        one = client.options("/things/6f1c2a52-5d3c-4c55-9a9b-0c8b1f1f7a10")
    assert things.status_code == one.status_code == 204
    assert things.headers["allow"] == "GET, OPTIONS, POST"
    assert one.headers["allow"] == "DELETE, GET, OPTIONS, PATCH"


def test_without_it_the_framework_leaves_out_the_later_handlers() -> None:
    # why `options_for` exists: if this starts to pass with all methods, it can go
    with TestClient(Litestar(HANDLERS)) as client:
        allow = client.options("/things").headers["allow"]
    assert "POST" not in allow
