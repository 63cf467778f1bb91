"""Generated copy as a plain CSV, for projects whose products did not come from a file."""

import csv
import io
from collections.abc import Iterable, Mapping
from typing import BinaryIO

from domain.catalog.records import ProductRecord
from domain.generation.settings import GeneratedTexts

ItemContent = tuple[ProductRecord, GeneratedTexts | Mapping[str, str], str]
"""An item, its generated copy and its status (e.g. `approved`)."""

TEXT_FIELDS = ("name", "short_description", "long_description", "meta_title", "meta_description")
CANONICAL_HEADER = ("external_id", "item_type", "parent", "name", "sku", "generated_name",
                    "short_description", "long_description", "meta_title", "meta_description", "status")
MAGENTO_HEADER = ("sku", "name", "description", "short_description", "meta_title", "meta_description",
                  "url_key", "product_type")
_FLUSH_EVERY = 500


def write_canonical_csv(records_with_content: Iterable[ItemContent], out: BinaryIO) -> int:
    """One row per item: its identity, its original name and SKU, the generated fields and its
    status. UTF-8 with a BOM (so spreadsheets read it as UTF-8); returns the number of rows."""
    def row(record: ProductRecord, texts: Mapping[str, str], status: str) -> list[str]:
        return [record.external_id, record.item_type, record.parent_external_id or "", record.name,
                str(record.source_data.get("sku", "")), texts["name"], texts["short_description"],
                texts["long_description"], texts["meta_title"], texts["meta_description"], status]
    out.write(b"\xef\xbb\xbf")
    return _write(CANONICAL_HEADER, (row(r, _texts(t), s) for r, t, s in records_with_content), out)


def write_magento_csv(records_with_content: Iterable[ItemContent], out: BinaryIO) -> int:
    """Magento's import columns (System → Import → Products, "Add/Update"): an empty cell leaves
    the store's value, so only generated fields change. A generated name replaces the name."""
    def row(record: ProductRecord, texts: Mapping[str, str]) -> list[str]:
        fields = record.source_data.get("platform_fields", {})
        product_type = ("configurable" if record.item_type == "parent"
                        else fields.get("product_type", "simple"))
        return [str(record.source_data.get("sku") or record.external_id), texts["name"],
                texts["long_description"], texts["short_description"], texts["meta_title"],
                texts["meta_description"], str(record.source_data.get("url_key", "")), product_type]
    return _write(MAGENTO_HEADER, (row(r, _texts(t)) for r, t, _s in records_with_content), out)


def _texts(texts: GeneratedTexts | Mapping[str, str]) -> dict[str, str]:
    if isinstance(texts, GeneratedTexts):
        return {field: getattr(texts, field) for field in TEXT_FIELDS}
    return {field: texts.get(field, "") for field in TEXT_FIELDS}


def _write(header: tuple[str, ...], rows: Iterable[list[str]], out: BinaryIO) -> int:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
        if count % _FLUSH_EVERY == 0:
            out.write(text.getvalue().encode())
            text.seek(0)
            text.truncate()
    out.write(text.getvalue().encode())
    return count
