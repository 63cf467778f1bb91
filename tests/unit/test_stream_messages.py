"""Events cut into stream messages: runs of one transaction and topic, the same cut every time."""

import random
import uuid

from adapters.nats.messages import RUN_BLOCK, LogRow, decode, encode, runs


def log(*transactions: tuple[int, str, int]) -> list[LogRow]:
    """Rows of transactions given as (txid, topic, number of events), in order."""
    rows: list[LogRow] = []
    for txid, topic, count in transactions:
        for _ in range(count):
            position = len(rows) + 1
            rows.append(LogRow(position, uuid.uuid4(), 1, topic,
                               b'{"v":1,"data":{"n":%d}}' % position, txid))
    return rows


def cut(rows: list[LogRow], read_size: int) -> list[tuple[int, int]]:
    """The (first, last) positions of each message a relay reading `read_size` rows at a time
    would publish."""
    out: list[tuple[int, int]] = []
    position = 0
    while True:
        chunk = [r for r in rows if r.position > position][:read_size]
        if not chunk:
            return out
        for run in runs(chunk, more_follow=len(chunk) == read_size):
            out.append((run[0].position, run[-1].position))
        position = out[-1][1]


def test_one_transaction_of_one_topic_travels_in_blocks() -> None:
    rows = log((7, "catalog.ItemImported", 1000))
    messages = cut(rows, 5000)
    assert len(messages) == 1000 // RUN_BLOCK + 1
    assert all(last - first < RUN_BLOCK for first, last in messages)


def test_transactions_and_topics_are_never_mixed_in_one_message() -> None:
    rows = log((1, "billing.ToppedUp", 3), (2, "billing.ToppedUp", 2), (2, "audit.X", 1),
               (2, "billing.ToppedUp", 2))
    assert cut(rows, 1000) == [(1, 3), (4, 5), (6, 6), (7, 8)]


def test_the_cut_does_not_depend_on_how_much_the_relay_reads_at_once() -> None:
    rng = random.Random(5)
    rows = log(*[(t, rng.choice(["a.X", "a.Y"]), rng.randint(1, 700)) for t in range(60)])
    expected = cut(rows, len(rows))
    for read_size in (1000, 999, 333, 250, RUN_BLOCK + 1):
        assert cut(rows, read_size) == expected


def test_a_run_decodes_to_its_events_exactly() -> None:
    rows = log((3, "catalog.ItemImported", 5))
    msg_id, headers, body = encode(rows)
    assert msg_id == "1-5"
    events = decode(headers, body)
    assert [(e.position, e.aggregate_id, e.version, e.topic, e.state) for e in events] == [
        (r.position, r.aggregate_id, r.version, r.topic, r.state) for r in rows]


def test_a_single_event_keeps_the_one_event_message_shape() -> None:
    rows = log((3, "billing.ToppedUp", 1))
    msg_id, headers, body = encode(rows)
    assert (msg_id, body) == ("1", rows[0].state)
    assert decode(headers, body)[0].position == 1
