"""Bounds of `page` and `page_size`, declared on each list route's parameters (so OpenAPI
shows them): the offset a page stands for always fits PostgreSQL's bigint."""

MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 100
