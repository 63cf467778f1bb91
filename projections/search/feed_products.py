"""The external feeds' products in the product index (`rm_search.products`, written by the
ProductIndex projection): one row per product a feed lists, its source the feed's aggregate
id and `feed` the feed's number, no project. A changed text is embedded again (the table's
trigger sets `pending`); a row whose text did not change keeps its embedding."""

from domain.log import RecordedEvent
from domain.search import feed_events as e
from domain.search.feeds import feed_product_id
from projections.writes import Writes

TOPICS = frozenset(cls.topic() for cls in (
    e.FeedProductsUpserted, e.FeedProductsRemoved, e.FeedDeleted))
STATUS = "external"
"""The status a feed's product is shown with (it is not reviewed as catalog items are)."""

_UPSERT = (
    "INSERT INTO products (item_id, org_id, source_id, feed, sku, name, description, price,"
    " category, image_url, url, status) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    " ON CONFLICT (item_id) DO UPDATE SET name = EXCLUDED.name,"
    " description = EXCLUDED.description, price = EXCLUDED.price,"
    " category = EXCLUDED.category, image_url = EXCLUDED.image_url, url = EXCLUDED.url"
)


def apply_feed_products(writes: Writes, record: RecordedEvent) -> None:
    event, feed_id = record.event, record.aggregate_id
    match event:
        case e.FeedProductsUpserted(products=products):
            for p in products:
                writes.add(_UPSERT, (feed_product_id(feed_id, p.sku), event.org_id, feed_id,
                                     event.number, p.sku, p.name, p.description, p.price,
                                     p.category, p.image_url, p.url, STATUS))
        case e.FeedProductsRemoved(skus=skus):
            writes.add("DELETE FROM products WHERE item_id = ANY(%s)",
                       ([feed_product_id(feed_id, sku) for sku in skus],))
        case e.FeedDeleted():
            writes.add("DELETE FROM products WHERE source_id = %s", (feed_id,))
        case _:
            pass
