"""Who is calling: a user (JWT) or an API key, always inside one organization."""

import dataclasses
from uuid import UUID

from domain.errors import ForbiddenError


@dataclasses.dataclass(frozen=True, kw_only=True)
class Principal:
    org_id: UUID
    role: str
    user_id: UUID | None = None
    api_key_id: UUID | None = None
    scope: str = "all"
    """An API key's scope: "all", or the space-separated scopes it is limited to."""

    @property
    def actor_type(self) -> str:
        return "user" if self.user_id else "api_key"

    @property
    def actor_id(self) -> UUID:
        actor = self.user_id or self.api_key_id
        assert actor is not None
        return actor

    def require_admin(self) -> None:
        if self.role != "admin":
            raise ForbiddenError("this operation requires the admin role")

    def require_user(self) -> UUID:
        if self.user_id is None:
            raise ForbiddenError("this operation requires a signed-in user, not an API key")
        return self.user_id
