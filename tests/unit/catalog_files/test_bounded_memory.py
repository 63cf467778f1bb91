"""A 100k-row export is read with memory bounded by a product, not by the file."""

import tracemalloc
from collections import Counter
from pathlib import Path

from adapters.catalog_files import read_catalog
from bench.catalog_fixture import generate_catalog

ROWS = 100_000
LIMIT = 50 * 1024 * 1024


def test_reading_a_100k_row_magento_export_keeps_memory_far_below_the_file_size(tmp_path: Path) -> None:
    path = tmp_path / "catalog.csv"
    with path.open("wb") as out:
        generate_catalog("magento2", ROWS, out)

    tracemalloc.start()
    try:
        with path.open("rb") as stream:
            kinds = Counter(r.item_type for r in read_catalog("magento2", stream, filename=path.name))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert kinds == {"variant": 80_000, "parent": 20_000}
    assert path.stat().st_size > 80 * 1024 * 1024
    assert peak < LIMIT, f"peak traced memory {peak / 1e6:.1f} MB"
