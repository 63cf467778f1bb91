"""Store product exports (Shopify, WooCommerce, Magento 2; CSV or XML) read as ProductRecords and
written back with generated copy. Pure file handling: no HTTP, no database."""

from adapters.catalog_files.canonical_csv import ItemContent, write_canonical_csv, write_magento_csv
from adapters.catalog_files.detection import ColumnDetection, detect_columns
from adapters.catalog_files.reading import read_catalog
from adapters.catalog_files.sniffing import sniff_headers
from adapters.catalog_files.writing import write_export

__all__ = ["ColumnDetection", "ItemContent", "detect_columns", "read_catalog", "sniff_headers",
           "write_canonical_csv", "write_export", "write_magento_csv"]
