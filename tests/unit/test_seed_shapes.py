"""The shape rules the seed conformance check holds answers to (see `tests.e2e.seed_shapes`)."""

from typing import Any

import pytest

from tests.e2e.seed_shapes import shape_problems

ITEM = {"id": "string", "confidence_score": 0, "is_active": True, "source_data": {},
        "tags": ["string"]}


def test_an_answer_with_every_field_of_the_right_type_fits_and_may_add_fields() -> None:
    answer = {"id": "a", "confidence_score": 0.9, "is_active": False, "source_data": {"x": 1},
              "tags": ["t"], "extra": 1}
    assert shape_problems(ITEM, answer) == []
    assert shape_problems([ITEM], [answer, answer]) == []


@pytest.mark.parametrize(("answer", "problem"), [
    ({**ITEM, "id": 5}, "$.id: number where the seed shows string"),
    ({k: v for k, v in ITEM.items() if k != "tags"}, "$.tags: missing"),
    ({**ITEM, "is_active": 1}, "$.is_active: number where the seed shows boolean"),
    ({**ITEM, "is_active": None}, "$.is_active: null where the seed shows boolean"),
    ({**ITEM, "tags": None}, "$.tags: null where the seed shows array"),
    ({**ITEM, "tags": []}, "$.tags: empty, so its elements could not be checked"),
    ({**ITEM, "tags": [3]}, "$.tags[0]: number where the seed shows string"),
])
def test_a_missing_field_or_another_type_is_reported_by_its_place(
    answer: dict[str, Any], problem: str
) -> None:
    assert shape_problems(ITEM, answer) == [problem]


def test_null_stands_for_an_absent_string_number_or_object() -> None:
    answer = {"id": None, "confidence_score": None, "is_active": True, "source_data": None,
              "tags": ["t"]}
    assert shape_problems(ITEM, answer) == []


def test_an_untyped_answer_takes_anything_and_a_map_holds_each_value() -> None:
    assert shape_problems([], {"any": "thing"}) == []
    tiers = {"additionalProperties": {"xct": "string"}}
    assert shape_problems(tiers, {"economy": {"xct": "1"}, "premium": {"xct": 2}}) == [
        "$.premium.xct: number where the seed shows string"]
    assert shape_problems({"rows": [ITEM]}, []) == ["$: array where the seed shows object"]
