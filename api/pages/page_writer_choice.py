"""The optional body of a page regeneration or a bulk generation: which text model writes
the pages (`ai_provider`, `ai_model`); without it the offline page writer does."""

from typing import Annotated

import msgspec

from adapters.llm_keys import check_provider_key
from adapters.secret_box import SecretBox
from api.auth import Caller
from api.dependencies import AppServices
from commands.pages.page_copy import writer_parameters


class PageWriterIn(msgspec.Struct, forbid_unknown_fields=True):
    ai_provider: Annotated[str, msgspec.Meta(max_length=32)] | None = None
    ai_model: Annotated[str, msgspec.Meta(max_length=100)] | None = None


async def chosen_writer(services: AppServices, caller: Caller,
                        data: PageWriterIn | None) -> dict[str, str]:
    """The job's writer parameters; 422 for an unknown provider or one nobody has a key for
    (checked before the job is queued)."""
    if data is None or data.ai_provider is None:
        return {}
    writer = writer_parameters({"ai_provider": data.ai_provider, "ai_model": data.ai_model})
    async with services.pool.connection() as conn:
        await check_provider_key(conn, SecretBox(services.settings.secret_key), services.settings,
                                 caller.org_id, writer["ai_provider"])
    return writer
