"""The OpenAPI document describes the answers the server gives: errors, security, media types."""

from pathlib import Path
from typing import Any

import msgspec
import pytest

from adapters.settings import Settings
from api.app import create_app

ERROR_REF = {"$ref": "#/components/schemas/Error"}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    app = create_app(Settings(home=Path("unused")))
    decoded: dict[str, Any] = msgspec.json.decode(msgspec.json.encode(
        app.openapi_schema.to_schema()))
    return decoded


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method.upper(), path, op) for path, item in document["paths"].items()
            for method, op in item.items() if isinstance(op, dict) and "responses" in op]


def test_every_error_has_the_body_the_server_sends(document: dict[str, Any]) -> None:
    error = document["components"]["schemas"]["Error"]
    assert error["required"] == ["detail", "status"]
    assert set(error["properties"]) == {"detail", "status", "errors"}
    assert "status_code" not in msgspec.json.encode(document).decode()
    for method, path, op in operations(document):
        for status, response in op["responses"].items():
            if int(status) >= 400:
                assert response["content"] == {"application/json": {"schema": ERROR_REF}}, (
                    method, path, status)


def test_each_operation_lists_the_errors_it_can_answer(document: dict[str, Any]) -> None:
    for method, path, op in operations(document):
        statuses = set(op["responses"])
        assert {"400", "422"} <= statuses, (method, path)
        if op.get("security"):
            assert {"401", "403"} <= statuses, (method, path)
        if "{" in path:
            assert "404" in statuses, (method, path)
    by_id = {op["operationId"]: op for _, _, op in operations(document)}
    assert {"402", "503"} <= set(by_id["generate_content"]["responses"])
    assert by_id["login"]["responses"]["429"]["headers"]["Retry-After"]["required"] is True
    assert "410" in by_id["accept_invitation"]["responses"]


def test_authenticated_operations_name_the_three_ways_to_authenticate(
    document: dict[str, Any],
) -> None:
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearerJwt"] == {**schemes["bearerJwt"], "type": "http", "scheme": "bearer",
                                    "bearerFormat": "JWT"}
    assert (schemes["accessTokenCookie"]["in"], schemes["accessTokenCookie"]["name"]) == (
        "cookie", "access_token")
    assert (schemes["apiKey"]["in"], schemes["apiKey"]["name"]) == ("header", "Authorization")
    by_id = {op["operationId"]: op for _, _, op in operations(document)}
    assert by_id["list_users"]["security"] == [
        {"bearerJwt": []}, {"accessTokenCookie": []}, {"apiKey": []}]
    assert "security" not in by_id["login"] and "security" not in by_id["health"]


def test_streams_are_events_and_exports_are_csv(document: dict[str, Any]) -> None:
    for method, path, op in operations(document):
        content = op["responses"].get("200", {}).get("content", {})
        if path.endswith("/stream"):
            assert list(content) == ["text/event-stream"], (method, path)
        if path.endswith("/export") and method == "GET":  # a page export is a job (202)
            assert "text/csv" in content and "application/json" not in content, (method, path)


def test_operation_ids_stay_unique(document: dict[str, Any]) -> None:
    ids = [op["operationId"] for _, _, op in operations(document)]
    assert len(ids) == len(set(ids))
    assert {"health", "health_detail", "stream_job", "export_project_content"} <= set(ids)
