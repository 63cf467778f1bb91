"""Reference lists for building requests: AI providers and their models, e-commerce
platforms, content types, languages, and writing tones (built-in and the organization's)."""

from typing import Any

import msgspec
from litestar import Request, get

from api.auth import AUTHENTICATED, Caller
from api.routes import reference_data as data
from api.services import Services
from domain.catalog.records import PLATFORMS
from projections.catalog_queries import list_tones
from projections.identity_queries import get_organization


class ProviderOut(msgspec.Struct):
    id: str
    name: str
    models: list[str]
    default_model: str
    accepts_organization_key: bool
    has_organization_key: bool


class PlatformOut(msgspec.Struct):
    id: str
    name: str


class ContentTypeOut(msgspec.Struct):
    id: str
    name: str
    description: str
    variants: list[str]


class LanguageOut(msgspec.Struct):
    code: str
    name: str
    native_name: str


class ToneChoiceOut(msgspec.Struct):
    id: str
    name: str
    description: str
    is_custom: bool


def _services(request: Request[Any, Any, Any]) -> Services:
    services: Services = request.app.state.services
    return services


@get("/api/v1/ai-providers", operation_id="list_ai_providers", tags=["reference"],
     summary="List AI providers", dependencies=AUTHENTICATED)
async def read_ai_providers(
    request: Request[Any, Any, Any], principal: Caller,
) -> list[ProviderOut]:
    """The text providers and their models; which ones take (and have) the organization's
    own key."""
    async with _services(request).pool.connection() as conn:
        org = await get_organization(conn, principal.org_id)
    keys = set(org.ai_key_providers) if org else set()
    return [ProviderOut(id=provider, name=data.PROVIDER_NAMES[provider], models=models,
                        default_model=models[0] if models else "",
                        accepts_organization_key=provider in data.BYOK_PROVIDERS,
                        has_organization_key=provider in keys)
            for provider, models in data.provider_models().items()
            if provider in data.PROVIDER_NAMES]


@get("/api/v1/platforms", operation_id="list_platforms", tags=["reference"],
     summary="List e-commerce platforms", dependencies=AUTHENTICATED, sync_to_thread=False)
def read_platforms(principal: Caller) -> list[PlatformOut]:
    """The platforms a project can be for."""
    return [PlatformOut(id=p, name=data.PLATFORM_NAMES.get(p, p)) for p in PLATFORMS]


@get("/api/v1/content-types", operation_id="list_content_types", tags=["reference"],
     summary="List content types", dependencies=AUTHENTICATED, sync_to_thread=False)
def read_content_types(principal: Caller) -> list[ContentTypeOut]:
    """What a generation run can write."""
    return [ContentTypeOut(id=i, name=n, description=d, variants=list(v))
            for i, n, d, v in data.CONTENT_TYPES]


@get("/api/v1/languages", operation_id="list_languages", tags=["reference"],
     summary="List supported languages", dependencies=AUTHENTICATED, sync_to_thread=False)
def read_languages(principal: Caller) -> list[LanguageOut]:
    """The languages copy can be written in (ISO 639-1 codes)."""
    return [LanguageOut(code=c, name=n, native_name=native) for c, n, native in data.LANGUAGES]


@get("/api/v1/tones", operation_id="list_tones", tags=["reference"],
     summary="List writing tones", dependencies=AUTHENTICATED)
async def read_tones(request: Request[Any, Any, Any], principal: Caller) -> list[ToneChoiceOut]:
    """The built-in tones, then the organization's custom ones."""
    async with _services(request).pool.connection() as conn:
        custom = await list_tones(conn, principal.org_id)
    return [*(ToneChoiceOut(id=i, name=n, description=d, is_custom=False)
              for i, n, d, _ in data.BUILT_IN_TONES),
            *(ToneChoiceOut(id=t.key, name=t.name, description=t.description, is_custom=True)
              for t in custom)]


ROUTES = [read_ai_providers, read_platforms, read_content_types, read_languages, read_tones]
