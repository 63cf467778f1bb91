"""Full text in the item's language on the real PostgreSQL: a German query stems German, so
a plural finds the singular in a German catalog and on a German page, a text of unknown
language matches its words as written, and the candidates come through the GIN index."""

from uuid import UUID, uuid4

import psycopg

from domain.search.languages import CONFIGS
from projections.search.page_queries import retrieve_pages
from projections.search.queries import _TEXT, search_products


async def product(conn: psycopg.AsyncConnection, org: UUID, language: str | None,
                  name: str, description: str) -> UUID:
    project, item = uuid4(), uuid4()
    await conn.execute("INSERT INTO rm_search.projects (id, org_id, language) VALUES (%s, %s, %s)",
                       (project, org, language))
    await conn.execute(
        "INSERT INTO rm_search.products (item_id, org_id, project_id, source_id, name,"
        " description) VALUES (%s, %s, %s, %s, %s, %s)",
        (item, org, project, uuid4(), name, description))
    return item


async def page(conn: psycopg.AsyncConnection, org: UUID, url: str, title: str, content: str,
               config: str) -> None:
    await conn.execute(
        "INSERT INTO rm_search.pages (page_id, org_id, url, title, content, content_hash,"
        " tsconfig) VALUES (%s, %s, %s, %s, %s, %s, %s::regconfig)",
        (uuid4().hex[:24], org, url, title, content, "h-" + url, config))


async def test_a_german_plural_finds_the_german_singular(
    conn: psycopg.AsyncConnection,
) -> None:
    org = uuid4()
    chair = await product(conn, org, "de", "Stuhl aus Eiche", "Ein massiver Stuhl.")
    english = await product(conn, org, None, "Stuhl", "Unknown language, words as written.")
    await page(conn, org, "https://shop.test/tisch", "Der Tisch", "Ein Tisch aus Holz.", "german")
    await page(conn, org, "https://shop.test/lamp", "Lamps", "Tische lamps.", "simple")

    found = [h.item_id for h in await search_products(conn, org, "Stühle", None)]
    assert found == [chair]  # the row of unknown language has no stems
    assert {h.item_id for h in await search_products(conn, org, "Stuhl", None)} == {chair,
                                                                                   english}
    pages = await retrieve_pages(conn, org, "Tische", None)
    assert {h.url for h in pages} == {"https://shop.test/tisch", "https://shop.test/lamp"}
    assert [h.url for h in await retrieve_pages(conn, org, "Tischen", None)] == [
        "https://shop.test/tisch"]
    cur = await conn.execute("SELECT tsconfig::text FROM rm_search.products WHERE item_id = %s",
                             (chair,))
    assert await cur.fetchone() == ("german",)


async def test_every_language_is_a_configuration_of_the_server(
    conn: psycopg.AsyncConnection,
) -> None:
    cur = await conn.execute("SELECT cfgname FROM pg_ts_config WHERE cfgname = ANY(%s)",
                             (list(CONFIGS),))
    assert {row[0] for row in await cur.fetchall()} == set(CONFIGS)


async def test_the_words_leg_finds_its_candidates_through_the_gin_index(
    conn: psycopg.AsyncConnection,
) -> None:
    async with conn.transaction(force_rollback=True):
        await conn.execute("DROP INDEX rm_search.products_org")  # the other way in, for a moment
        await conn.execute("SET LOCAL enable_seqscan = off")
        cur = await conn.execute("EXPLAIN " + _TEXT.format(filter=""), ("Stühle", uuid4(), 10))
        plan = "\n".join(row[0] for row in await cur.fetchall())
    assert "products_tsv" in plan, plan
