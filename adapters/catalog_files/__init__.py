"""Store product exports (Shopify, WooCommerce, Magento 2; CSV or XML) read as ProductRecords and
written back with generated copy. Pure file handling: no HTTP, no database."""

from adapters.catalog_files.reading import read_catalog

__all__ = ["read_catalog"]
