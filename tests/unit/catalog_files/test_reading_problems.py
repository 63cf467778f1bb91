"""Encodings, line endings, delimiters, and broken or unwelcome files: each read right or refused
with a message naming the line (and the column when known)."""

import io

import pytest

from adapters.catalog_files import read_catalog
from adapters.catalog_files.decoding import CHUNK_BYTES
from domain.errors import InvalidCommandError, MalformedInputError, TooLargeError
from tests.unit.catalog_files.catalog_helpers import fixture_bytes, read_bytes

MAGENTO_HEADER = "sku,product_type,name,description,price\n"


def test_a_bom_is_not_part_of_the_first_header() -> None:
    plain = (MAGENTO_HEADER + "S-1,simple,Lamp,,9\n").encode()

    with_bom, without = read_bytes("magento2", b"\xef\xbb\xbf" + plain), read_bytes("magento2", plain)

    assert with_bom == without
    assert with_bom[0].external_id == "S-1"


def test_a_cp1252_file_is_read_as_cp1252() -> None:
    text = MAGENTO_HEADER + "S-1,simple,Caf\u00e9 cr\u00e8me,\u201cBio\u201d \u2013 100\u00a0g,2\u20ac\n"
    data = text.encode("cp1252")

    [record] = read_bytes("magento2", data)

    assert record.name == "Café crème"
    assert record.source_data["description"] == "\u201cBio\u201d \u2013 100\u00a0g"
    assert record.source_data["price"] == "2€"


def test_crlf_line_endings_and_multi_line_quoted_html_keep_lines_and_text() -> None:
    data = (MAGENTO_HEADER.replace("\n", "\r\n")
            + 'S-1,simple,Lamp,"<p>One</p>\r\n<p>Two, ""quoted""</p>\r\n<ul><li>x</li></ul>",9\r\n'
            + "S-2,simple,Desk,,120\r\n").encode()

    first, second = read_bytes("magento2", data)

    assert first.source_data["description"] == '<p>One</p>\r\n<p>Two, "quoted"</p>\r\n<ul><li>x</li></ul>'
    assert first.source_data["price"] == "9"
    assert (first.line, second.line) == (2, 5)


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_the_delimiter_is_sniffed_from_the_header(delimiter: str) -> None:
    data = (MAGENTO_HEADER + 'S-1,simple,"Lamp, small",,9\n').replace(",", delimiter).encode()

    [record] = read_bytes("magento2", data)

    assert (record.external_id, record.name) == ("S-1", f"Lamp{delimiter} small")
    assert record.source_data["price"] == "9"


def test_an_unterminated_quote_names_the_line_and_column_where_it_opened() -> None:
    data = (MAGENTO_HEADER + "S-1,simple,Lamp,,9\n" + 'S-2,simple,Desk,"<p>Oak\n<p>Walnut</p>,12\n'
            + "S-3,simple,Chair,,30\n").encode()

    expected = r"^line 3, column 'description': unterminated quoted field$"
    with pytest.raises(MalformedInputError, match=expected):
        read_bytes("magento2", data)


def test_a_stray_quote_names_its_line_and_column() -> None:
    data = (MAGENTO_HEADER + 'S-1,simple,"Lamp" small,,9\n').encode()

    with pytest.raises(MalformedInputError, match=r"^line 2, column 'name': a quote inside a quoted field"):
        read_bytes("magento2", data)


def test_a_ragged_row_says_how_many_columns_it_has() -> None:
    data = (MAGENTO_HEADER + "S-1,simple,Lamp,,9\nS-2,simple,Desk\n").encode()

    with pytest.raises(MalformedInputError, match=r"^line 3: expected 5 columns, found 3$"):
        read_bytes("magento2", data)


def test_trailing_empty_cells_and_blank_lines_are_tolerated() -> None:
    data = (MAGENTO_HEADER + "S-1,simple,Lamp,,9,,\n\nS-2,simple,Desk,,12\n").encode()

    assert [(r.external_id, r.line) for r in read_bytes("magento2", data)] == [("S-1", 2), ("S-2", 4)]


def test_an_invalid_utf8_byte_after_the_first_chunk_names_its_line() -> None:
    head = MAGENTO_HEADER + "S-0,simple,Caf\u00e9,,1\n"
    filler = "".join(f"S-{n},simple,Lamp {n},,9\n" for n in range(1, CHUNK_BYTES // 20))
    lines_before = 1 + head.count("\n") + filler.count("\n")
    data = (head + filler).encode() + b"S-X,simple,Caf\xe9,,1\n"

    with pytest.raises(MalformedInputError, match=rf"^line {lines_before}: byte 0xe9 is not valid utf-8"):
        read_bytes("magento2", data)


def test_a_file_over_the_size_limit_is_refused_before_and_while_reading() -> None:
    data = (MAGENTO_HEADER + "S-1,simple,Lamp,,9\n" * 1000).encode()

    class Pipe(io.RawIOBase):
        def __init__(self) -> None:
            self._data = data

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
            size = min(len(buffer), 4096, len(self._data))
            buffer[:size], self._data = self._data[:size], self._data[size:]
            return size

    with pytest.raises(TooLargeError):
        read_bytes("magento2", data, max_bytes=len(data) - 1)
    with pytest.raises(TooLargeError):
        list(read_catalog("magento2", Pipe(), max_bytes=10_000))  # type: ignore[arg-type]
    assert len(read_bytes("magento2", data, max_bytes=len(data))) == 1000


def test_an_empty_file_is_malformed_and_a_header_alone_has_no_products() -> None:
    with pytest.raises(MalformedInputError, match="empty"):
        read_bytes("magento2", b"")
    assert read_bytes("magento2", MAGENTO_HEADER.encode()) == []


def test_an_unknown_platform_is_refused() -> None:
    with pytest.raises(InvalidCommandError, match="unknown platform 'prestashop'"):
        read_catalog("prestashop", io.BytesIO(b"sku\n"))


def test_a_file_without_the_platform_s_key_columns_names_them() -> None:
    with pytest.raises(MalformedInputError, match=r"lacks the woocommerce column\(s\) 'Type', 'SKU or ID'"):
        read_bytes("woocommerce", b"Name,Price\nLamp,9\n")
    with pytest.raises(MalformedInputError, match=r"'Handle'"):
        read_bytes("shopify", fixture_bytes("woocommerce-products-export.csv"))


def test_a_spreadsheet_is_recognized_and_refused() -> None:
    with pytest.raises(MalformedInputError, match=r"spreadsheet \(Excel\)"):
        read_bytes("shopify", b"PK\x03\x04\x14\x00\x06\x00" + bytes(100), filename="products.xlsx")


def test_a_product_without_its_key_names_the_line() -> None:
    with pytest.raises(MalformedInputError, match=r"^line 3, column 'sku': a product without a sku$"):
        read_bytes("magento2", (MAGENTO_HEADER + "S-1,simple,Lamp,,9\n,simple,Desk,,12\n").encode())
    with pytest.raises(MalformedInputError, match=r"^line 2: a product without a SKU or an ID$"):
        read_bytes("woocommerce", b"ID,Type,SKU,Name\n,simple,,Lamp\n")


def test_renamed_headers_are_read_through_a_column_mapping() -> None:
    data = (b"Artikel,Typ,Bezeichnung,Preis,Material,Bild\n"
            b"S-1,simple,Lampe,9,Eiche,https://x/a.jpg\n")
    mapping = {"Artikel": "sku", "Typ": "product_type", "Bezeichnung": "name", "Preis": "price",
               "Material": "attributes", "Bild": "images"}

    [record] = read_bytes("magento2", data, column_mapping=mapping)

    assert (record.external_id, record.name, record.item_type) == ("S-1", "Lampe", "simple")
    assert record.source_data["price"] == "9"
    assert record.source_data["attributes"] == {"Material": "Eiche"}
    assert record.source_data["images"] == ["https://x/a.jpg"]
    assert record.source_data["platform_fields"] == {"Typ": "simple"}


def test_a_mapping_to_an_unknown_field_is_refused() -> None:
    with pytest.raises(InvalidCommandError, match="'colour' is neither a canonical field"):
        read_bytes("magento2", MAGENTO_HEADER.encode(), column_mapping={"name": "colour"})
