"""Store product exports (Shopify, WooCommerce, Magento 2; CSV or XML) read as ProductRecords and
written back with generated copy. Pure file handling: no HTTP, no database."""

from adapters.catalog_files.reading import read_catalog
from adapters.catalog_files.writing import write_export

__all__ = ["read_catalog", "write_export"]
