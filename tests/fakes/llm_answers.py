"""What the fake provider answers: the prompt it was sent, plausible JSON copy for it, and
success and error bodies in each API's shape."""

import contextlib
import json
import re
import time
from typing import Any


def prompt_of(api: str, body: dict[str, Any]) -> tuple[str, str]:
    messages = body.get("messages") or []
    texts: dict[str, list[str]] = {"system": [], "user": []}
    if api == "anthropic":
        system = body.get("system") or ""
        texts["system"].append(system if isinstance(system, str) else
                               " ".join(b.get("text", "") for b in system))
    for message in messages:
        content = message.get("content")
        text = content if isinstance(content, str) else " ".join(
            part.get("text", "") for part in content or [] if isinstance(part, dict))
        texts["system" if message.get("role") in ("system", "developer") else "user"].append(text)
    return "\n".join(texts["system"]), "\n".join(texts["user"])


_FIELD = re.compile(r"^- (\w+): at most (\d+) characters.*?; (HTML|plain text)", re.MULTILINE)


def copy_for(user: str) -> str:
    """JSON copy for the fields the prompt asks for, from the product data it states (a
    landing page's intro and body when the prompt is a page's)."""
    if user.startswith("Landing page:"):
        return page_copy_for(user)
    product: dict[str, Any] = {}
    marker = user.find("Product data:")
    if marker >= 0:
        with contextlib.suppress(ValueError):
            product, _ = json.JSONDecoder().raw_decode(user[marker + len("Product data:"):].lstrip())
    name = str(product.get("name") or "This product")
    brand = f" from {product['brand']}" if product.get("brand") else ""
    attributes = product.get("attributes") or {}
    details = "; ".join(f"{k}: {v}" for k, v in attributes.items())
    categories = product.get("categories") or []
    where = f" in the {str(categories[0]).split('>')[-1].strip()} range" if categories else ""
    intro = f"Meet {name}{brand}, a product{where} with the details that matter to you."
    copy: dict[str, str] = {}
    for field, limit, form in _FIELD.findall(user):
        html = form == "HTML"
        if field in ("name", "meta_title"):
            text = name
        elif field == "meta_description":
            text = f"Shop {name}{brand} online. {details}." if details else f"Shop {name}{brand} online."
        elif field == "long_description" and html:
            items = "".join(f"<li>{k}: {v}</li>" for k, v in attributes.items())
            text = f"<p>{intro}</p>" + (f"<ul>{items}</ul>" if items else "") + \
                "<p>It is a good choice for the store and for you.</p>"
        else:
            text = f"{intro} {details}." if details else intro
            text = f"<p>{text}</p>" if html else text
        copy[field] = text if len(text) <= int(limit) or html else text[:int(limit)].rsplit(" ", 1)[0]
    return json.dumps(copy, ensure_ascii=False)


def success_body(api: str, model: str, prompt: str, text: str) -> dict[str, Any]:
    tokens_in, tokens_out = max(1, len(prompt) // 4), max(1, len(text) // 4)
    if api == "anthropic":
        return {"id": f"msg_{time.monotonic_ns()}", "type": "message", "role": "assistant", "model": model,
                "content": [{"type": "text", "text": text}], "stop_reason": "end_turn",
                "stop_sequence": None, "usage": {"input_tokens": tokens_in, "output_tokens": tokens_out}}
    return {"id": f"chatcmpl-{time.monotonic_ns()}", "object": "chat.completion", "created": int(time.time()),
            "model": model, "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                                         "message": {"role": "assistant", "content": text}}],
            "usage": {"prompt_tokens": tokens_in, "completion_tokens": tokens_out,
                      "total_tokens": tokens_in + tokens_out}}


def turn_body(model: str, content: list[dict[str, Any]]) -> dict[str, Any]:
    """An Anthropic message with the scripted content; tool calls get ids when they have none."""
    blocks = [{**b, "id": b.get("id") or f"toolu_{n}_{time.monotonic_ns()}"}
              if b.get("type") == "tool_use" else b for n, b in enumerate(content)]
    calls = any(b.get("type") == "tool_use" for b in blocks)
    return {"id": f"msg_{time.monotonic_ns()}", "type": "message", "role": "assistant",
            "model": model, "content": blocks, "stop_reason": "tool_use" if calls else "end_turn",
            "stop_sequence": None, "usage": {"input_tokens": 10, "output_tokens": 10}}


FAILURES: dict[str, dict[str, tuple[int, str, str]]] = {
    # kind -> api -> (status, error type / code, message)
    "500": {"anthropic": (500, "api_error", "Internal server error"),
            "openai": (500, "server_error", "The server had an error while processing your request.")},
    "529": {"anthropic": (529, "overloaded_error", "Overloaded"),
            "openai": (503, "server_error", "The engine is currently overloaded, please try again later.")},
    "429": {"anthropic": (429, "rate_limit_error", "Number of requests has exceeded your rate limit."),
            "openai": (429, "rate_limit_exceeded", "Rate limit reached for requests.")},
    "spend_limit": {
        "anthropic": (400, "invalid_request_error", "Your credit balance is too low to access the Anthropic "
                      "API. Please go to Plans & Billing to upgrade or purchase credits."),
        "openai": (429, "insufficient_quota", "You exceeded your current quota, please check your plan and "
                   "billing details.")},
    "402": {"anthropic": (402, "billing_error", "Payment required."),
            "openai": (402, "insufficient_balance", "Insufficient Balance")},
    "401": {"anthropic": (401, "authentication_error", "invalid x-api-key"),
            "openai": (401, "invalid_api_key", "Incorrect API key provided.")},
}


def error_body(api: str, kind: str, message: str) -> dict[str, Any]:
    if api == "anthropic":
        return {"type": "error", "error": {"type": kind, "message": message}}
    return {"error": {"message": message, "type": kind, "param": None, "code": kind}}


def page_copy_for(user: str) -> str:
    """A landing page's `intro_copy` and `body`, naming the page and the products listed."""
    page: dict[str, Any] = {}
    products: list[dict[str, Any]] = []
    with contextlib.suppress(ValueError, IndexError):
        head, _, tail = user.partition("\nProducts:")
        page = json.loads(head.removeprefix("Landing page:"))
        products = json.loads(tail)
    names = [str(p.get("name")) for p in products if p.get("name")]
    title = str(page.get("title") or "Our selection")
    intro = f"Welcome to {title}, a page picked for you from our store."
    body = (f"On this page: {', '.join(names)}." if names else "More products arrive soon.") + \
        "\n\nTake your time and choose what suits you."
    return json.dumps({"intro_copy": intro, "body": body}, ensure_ascii=False)
