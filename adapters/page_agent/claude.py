"""The page builder's agent as Claude with tool use, through the Anthropic SDK.

The conversation is kept here: each turn sends it with the tools, keeps Claude's answer
(text and `tool_use` blocks) and, on the next turn, answers every tool call with a
`tool_result` (`is_error` for a refused operation, so Claude can correct itself).
"""

import json
from typing import Any

import anthropic

from adapters.llm.errors import scrub
from domain.generation.reference import model_or_default
from domain.pages.agent_tools import TOOLS, AgentTurn, ToolCall, ToolResult

SYSTEM = (
    "You build a shop's landing page from blocks. Use the tools: read the page first, search"
    " the shop's products before you show them, and change the page only with the block"
    " tools. Keep to the props each block type allows. Say briefly what you changed."
)
MAX_TOKENS = 2000


class AgentError(Exception):
    """Claude could not be asked; the message says why, without the key."""


class ClaudeAgent:
    def __init__(self, message: str, *, api_key: str, base_url: str, timeout: float,
                 model: str = "") -> None:
        self._key = api_key
        self._model = model_or_default("anthropic", model)
        self._client = anthropic.AsyncAnthropic(api_key=api_key, base_url=base_url,
                                                timeout=timeout, max_retries=1)
        self._messages: list[dict[str, Any]] = [{"role": "user", "content": message}]

    async def turn(self, results: list[ToolResult]) -> AgentTurn:
        if results:
            self._messages.append({"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": r.call_id, "is_error": r.is_error,
                 "content": r.content if isinstance(r.content, str) else json.dumps(r.content)}
                for r in results]})
        messages: Any = self._messages
        tools: Any = TOOLS
        try:
            answer = await self._client.messages.create(
                model=self._model, max_tokens=MAX_TOKENS, system=SYSTEM, tools=tools,
                messages=messages)
        except anthropic.APIStatusError as error:
            raise AgentError(f"anthropic answered {error.status_code}: "
                             f"{scrub(str(error.message), self._key)}") from None
        except anthropic.APIError as error:
            raise AgentError(f"anthropic could not be reached ({type(error).__name__})") from None
        content = [block.model_dump(exclude_none=True) for block in answer.content]
        self._messages.append({"role": "assistant", "content": content})
        text = " ".join(b.get("text", "") for b in content if b.get("type") == "text").strip()
        calls = tuple(ToolCall(id=str(b["id"]), name=str(b["name"]), input=dict(b.get("input") or {}))
                      for b in content if b.get("type") == "tool_use")
        return AgentTurn(text=text, calls=calls if answer.stop_reason == "tool_use" else ())

    async def close(self) -> None:
        await self._client.close()
