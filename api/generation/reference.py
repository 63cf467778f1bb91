"""Reference lists for building requests: AI providers and their models, e-commerce
platforms, content types, languages, and writing tones (built-in and the organization's)."""


import msgspec
from litestar import get

from api.auth import AUTHENTICATED, Caller
from api.dependencies import AppServices
from domain.generation.reference import AI_PROVIDERS, CONTENT_TYPES, LANGUAGES, PLATFORM_LIST
from domain.generation.tones import BUILT_IN_TONES
from projections.catalog.queries import list_tones
from projections.identity.queries import get_organization


class ModelOut(msgspec.Struct):
    id: str
    tier: str
    """The billing model tier (economy, standard, premium): the XCT a token costs."""


class ProviderOut(msgspec.Struct):
    id: str
    name: str
    models: list[str]
    default_model: str
    accepts_organization_key: bool
    has_organization_key: bool
    model_tiers: list[ModelOut]


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


@get("/api/v1/ai-providers", operation_id="list_ai_providers", tags=["reference"],
     summary="List AI providers", dependencies=AUTHENTICATED)
async def read_ai_providers(services: AppServices, principal: Caller) -> list[ProviderOut]:
    """The text providers and their models; which ones take (and have) the organization's
    own key."""
    async with services.pool.connection() as conn:
        org = await get_organization(conn, principal.org_id)
    keys = set(org.ai_key_providers) if org else set()
    return [ProviderOut(id=p.id, name=p.name, models=[m.id for m in p.models],
                        default_model=p.default_model, accepts_organization_key=p.byok,
                        has_organization_key=p.id in keys,
                        model_tiers=[ModelOut(id=m.id, tier=m.tier) for m in p.models])
            for p in AI_PROVIDERS]


@get("/api/v1/platforms", operation_id="list_platforms", tags=["reference"],
     summary="List e-commerce platforms", dependencies=AUTHENTICATED, sync_to_thread=False)
def read_platforms(principal: Caller) -> list[PlatformOut]:
    """The platforms a project can be for."""
    return [PlatformOut(id=p.id, name=p.name) for p in PLATFORM_LIST]


@get("/api/v1/content-types", operation_id="list_content_types", tags=["reference"],
     summary="List content types", dependencies=AUTHENTICATED, sync_to_thread=False)
def read_content_types(principal: Caller) -> list[ContentTypeOut]:
    """What a generation run can write."""
    return [ContentTypeOut(id=c.id, name=c.name, description=c.description,
                           variants=list(c.variants)) for c in CONTENT_TYPES]


@get("/api/v1/languages", operation_id="list_languages", tags=["reference"],
     summary="List supported languages", dependencies=AUTHENTICATED, sync_to_thread=False)
def read_languages(principal: Caller) -> list[LanguageOut]:
    """The languages copy can be written in (ISO 639-1 codes)."""
    return [LanguageOut(code=lang.code, name=lang.name, native_name=lang.native_name)
            for lang in LANGUAGES]


@get("/api/v1/tones", operation_id="list_tones", tags=["reference"],
     summary="List writing tones", dependencies=AUTHENTICATED)
async def read_tones(services: AppServices, principal: Caller) -> list[ToneChoiceOut]:
    """The built-in tones, then the organization's custom ones."""
    async with services.pool.connection() as conn:
        custom = await list_tones(conn, principal.org_id)
    return [*(ToneChoiceOut(id=t.id, name=t.name, description=t.description, is_custom=False)
              for t in BUILT_IN_TONES),
            *(ToneChoiceOut(id=t.key, name=t.name, description=t.description, is_custom=True)
              for t in custom)]


ROUTES = [read_ai_providers, read_platforms, read_content_types, read_languages, read_tones]
