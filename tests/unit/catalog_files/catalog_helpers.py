"""Reading the catalog fixtures in tests."""

import io
from pathlib import Path
from typing import Any

from adapters.catalog_files import read_catalog
from domain.catalog.records import ProductRecord

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "catalogs"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def read_fixture(platform: str, name: str, **options: Any) -> list[ProductRecord]:
    with (FIXTURES / name).open("rb") as stream:
        return list(read_catalog(platform, stream, filename=name, **options))


def read_bytes(platform: str, data: bytes, filename: str = "catalog.csv",
               **options: Any) -> list[ProductRecord]:
    return list(read_catalog(platform, io.BytesIO(data), filename=filename, **options))


def by_id(records: list[ProductRecord]) -> dict[str, ProductRecord]:
    return {record.external_id: record for record in records}


def summary(record: ProductRecord) -> tuple[str, str, str | None, str, int]:
    return record.external_id, record.item_type, record.parent_external_id, record.name, record.line
