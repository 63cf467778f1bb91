"""The offline builder agent: plain instructions become tool calls, products are searched
before their grid is added, and what it cannot do it says."""

from domain.pages.agent_tools import ToolResult
from domain.pages.rule_agent import RuleAgent, instructions

PAGE = {"title": "Shop", "blocks": [
    {"id": "hero-1", "type": "hero", "props": {"headline": "Old"}},
    {"id": "testimonial-1", "type": "testimonial", "props": {"quote": "Q", "author": "A"}},
]}


def _session(message: str, products: list[dict[str, object]]) -> list[tuple[str, dict[str, object]]]:
    agent = RuleAgent(message)
    calls = []
    results: list[ToolResult] = []
    for _ in range(5):
        turn = agent.turn(results)
        if not turn.calls:
            break
        results = []
        for call in turn.calls:
            calls.append((call.name, call.input))
            content = PAGE if call.name == "read_page" else (
                {"products": products} if call.name == "search_products" else {"ok": True})
            results.append(ToolResult(call_id=call.id, content=content))
    return calls


def test_instructions_are_split_but_prices_stay_whole() -> None:
    assert instructions("Add a hero titled Winter. Show hoodies under 49.90 €; then remove"
                        " the testimonial") == [
        "Add a hero titled Winter", "Show hoodies under 49.90 €", "remove the testimonial"]


def test_a_hero_products_under_a_price_and_a_removal() -> None:
    calls = _session("add a hero titled “Winter sale”. show hoodies under 50 €."
                     " remove the testimonial",
                     [{"sku": "H1", "name": "Hoodie"}, {"sku": "H2", "name": "Zip"}])
    assert calls == [
        ("read_page", {}),
        ("search_products", {"query": "hoodies", "max_price": 50.0}),
        ("add_block", {"type": "hero", "position": 0, "props": {"headline": "Winter sale"}}),
        ("add_block", {"type": "product_grid", "props": {
            "title": "Hoodies", "product_skus": ["H1", "H2"], "columns": 2,
            "show_prices": True}}),
        ("remove_block", {"block_id": "testimonial-1"}),
    ]


def test_headline_move_testimonial_and_call_to_action() -> None:
    calls = _session("change the headline to New look; move the testimonial to the top;"
                     " add a testimonial from Ana: Lovely fit;"
                     " add a call to action Shop now linking to /shop", [])
    assert calls[1:] == [
        ("update_block", {"block_id": "hero-1", "props": {"headline": "New look"}}),
        ("move_block", {"block_id": "testimonial-1", "position": 0}),
        ("add_block", {"type": "testimonial", "props": {"author": "Ana", "quote": "Lovely fit"}}),
        ("add_block", {"type": "cta_banner", "props": {
            "text": "Shop now", "button_text": "Shop now", "button_url": "/shop"}}),
    ]


def test_what_it_does_not_understand_or_cannot_find_it_says() -> None:
    agent = RuleAgent("sing a song; remove the features")
    agent.turn([])
    turn = agent.turn([ToolResult(call_id="read", content=PAGE)])
    assert turn.calls == ()
    assert "did not understand “sing a song”" in turn.text and "no features" in turn.text
