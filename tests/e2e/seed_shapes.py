"""How an answer is held against a seed's example: the shape, not the values.

* An object example: every field it shows is present, each compared in turn (fields the seed
  does not show may be added). `{"additionalProperties": X}` is a map: every value like X.
* An array example with an element: an array, every element like it. An empty array is
  what the seed shows for a schema it gives no type: any value.
* A string, number or boolean example: a value of that JSON type (the example's value itself,
  "bearer" or 0, is not compared).
* null: the seed renders an optional field by its type, so null stands for "absent" where the
  example is a string, a number or an object — never where it is an array (a list is empty,
  not absent) or a boolean (a flag is false or true).
* An array the answer gives empty, where the example shows an element, is reported: its
  elements could not be checked (the calls are arranged so that such lists hold something).
"""

from typing import Any

NULL_MAY_STAND_FOR = (str, int, float, dict)


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def shape_problems(example: Any, answer: Any, where: str = "$") -> list[str]:
    """What in `answer` does not have the shape of `example` (empty when it has)."""
    if isinstance(example, list) and not example:
        return []
    if answer is None:
        if isinstance(example, NULL_MAY_STAND_FOR) and not isinstance(example, bool):
            return []
        return [f"{where}: null where the seed shows {json_type(example)}"]
    if json_type(answer) != json_type(example):
        return [f"{where}: {json_type(answer)} where the seed shows {json_type(example)}"]
    if isinstance(example, dict):
        if set(example) == {"additionalProperties"}:
            return [p for key, value in answer.items()
                    for p in shape_problems(example["additionalProperties"], value,
                                            f"{where}.{key}")]
        problems = [f"{where}.{key}: missing" for key in example if key not in answer]
        return problems + [p for key in example if key in answer
                           for p in shape_problems(example[key], answer[key], f"{where}.{key}")]
    if isinstance(example, list):
        if not answer:
            return [f"{where}: empty, so its elements could not be checked"]
        return [p for n, element in enumerate(answer)
                for p in shape_problems(example[0], element, f"{where}[{n}]")]
    return []
