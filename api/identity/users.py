"""`/api/v1/users`: the caller's own profile, and the organization's users (admin).

Passwords are checked and hashed (argon2id) here, before the command; only the hash goes
to the handler, which writes it beside the events, never into one. A user id of another
organization answers 404.
"""

from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

import anyio.to_thread
import msgspec
from litestar import Request, delete, get, patch, post

from adapters.passwords import hash_password, password_problem
from api.auth import AUTHENTICATED, Caller
from api.commanding import run_command
from api.dependencies import AppServices
from api.guards import admin_only
from api.identity.organization import OrganizationResponse, organization_response
from api.identity.sessions import revoke_sessions_of
from api.principal import Principal
from api.services import Services
from commands.identity.users import (
    DeactivateUser,
    RegisterUser,
    UpdateUser,
    deactivate_user,
    register_user,
    update_user,
)
from domain.errors import ForbiddenError, InvalidCommandError, NotFoundError
from projections.identity.queries import UserRow, get_organization, get_user, list_users


class UserResponse(msgspec.Struct):
    id: UUID
    email: str
    first_name: str | None
    last_name: str | None
    phone_number: str | None
    role: str
    is_active: bool
    is_super_admin: bool
    two_factor_enabled: bool
    two_factor_method: str | None
    created_at: datetime
    last_login_at: datetime | None
    organization: OrganizationResponse


class UserCreate(msgspec.Struct):
    email: str
    password: str
    role: str = "member"
    first_name: str | None = None
    last_name: str | None = None
    phone_number: str | None = None


class UserUpdate(msgspec.Struct):
    """None (or absent) keeps a field; an empty string clears an optional text."""

    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    phone_number: str | None = None
    password: str | None = None
    role: str | None = None
    is_active: bool | None = None


async def _hash_new_password(password: str | None) -> str | None:
    if password is None:
        return None
    problem = password_problem(password)
    if problem:
        raise InvalidCommandError(problem)
    return await anyio.to_thread.run_sync(lambda: hash_password(password))


async def _find_user(services: Services, org_id: UUID, user_id: UUID) -> UserRow:
    async with services.pool.connection() as conn:
        user = await get_user(conn, org_id, user_id)
    if user is None:
        raise NotFoundError("user not found")
    return user


async def _user_response(services: Services, org_id: UUID, user_id: UUID) -> UserResponse:
    async with services.pool.connection() as conn:
        user = await get_user(conn, org_id, user_id)
        org = await get_organization(conn, org_id)
    if user is None or org is None:
        raise NotFoundError("user not found")
    return _response(user, organization_response(org))


def _response(user: UserRow, org: OrganizationResponse) -> UserResponse:
    return UserResponse(
        id=user.id, email=user.email, first_name=user.first_name, last_name=user.last_name,
        phone_number=user.phone_number, role=user.role, is_active=user.is_active,
        is_super_admin=user.is_super_admin, two_factor_enabled=user.two_factor_enabled,
        two_factor_method=user.two_factor_method,
        created_at=user.created_at, last_login_at=user.last_login_at, organization=org,
    )


async def _update(
    request: Request[Any, Any, Any], services: Services, principal: Principal, user_id: UUID,
    data: UserUpdate,
) -> UserResponse:
    password_hash = await _hash_new_password(data.password)
    await run_command(request, principal, update_user, UpdateUser(
        org_id=principal.org_id, user_id=user_id, email=data.email, first_name=data.first_name,
        last_name=data.last_name, phone_number=data.phone_number, password_hash=password_hash,
        role=data.role, is_active=data.is_active,
    ), wait_for=("identity",))
    if password_hash is not None or data.is_active is False:
        await revoke_sessions_of(services, user_id)
    return await _user_response(services, principal.org_id, user_id)


@get("/api/v1/users/me", operation_id="get_current_user", tags=["users"],
     summary="Get current user profile", dependencies=AUTHENTICATED)
async def read_me(services: AppServices, principal: Caller) -> UserResponse:
    """The profile of the signed-in user."""
    return await _user_response(services, principal.org_id, principal.require_user())


@patch("/api/v1/users/me", operation_id="update_current_user", tags=["users"],
       summary="Update current user profile", dependencies=AUTHENTICATED)
async def update_me(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller, data: UserUpdate,
) -> UserResponse:
    """Change one's own profile; only an admin may change their own role or activity."""
    me = await _find_user(services, principal.org_id, principal.require_user())
    changes_role = data.role is not None and data.role != me.role
    changes_activity = data.is_active is not None and data.is_active != me.is_active
    if (changes_role or changes_activity) and principal.role != "admin":
        raise ForbiddenError("only an admin may change a role or deactivate a user")
    return await _update(request, services, principal, me.id, data)


@get("/api/v1/users", operation_id="list_users", tags=["users"],
     summary="List organization users", dependencies=AUTHENTICATED, guards=[admin_only])
async def read_users(services: AppServices, principal: Caller) -> list[UserResponse]:
    """Every user of the caller's organization (admin)."""
    async with services.pool.connection() as conn:
        users = await list_users(conn, principal.org_id)
        org = await get_organization(conn, principal.org_id)
    if org is None:
        raise NotFoundError("organization not found")
    shown = organization_response(org)
    return [_response(user, shown) for user in users]


@post("/api/v1/users", operation_id="create_user", tags=["users"], status_code=200,
      summary="Create a new user", dependencies=AUTHENTICATED, guards=[admin_only])
async def create_user(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller, data: UserCreate,
) -> UserResponse:
    """Register a user in the caller's organization (admin) and mail them a welcome (without
    the password); 409 if the e-mail is taken."""
    password_hash = await _hash_new_password(data.password)
    assert password_hash is not None
    user_id = uuid4()
    await run_command(request, principal, register_user, RegisterUser(
        org_id=principal.org_id, user_id=user_id, email=data.email,
        password_hash=password_hash, role=data.role, first_name=data.first_name,
        last_name=data.last_name, phone_number=data.phone_number,
        public_url=services.settings.links_base(),
    ), wait_for=("identity",))
    return await _user_response(services, principal.org_id, user_id)


@get("/api/v1/users/{user_id:uuid}", operation_id="get_user", tags=["users"],
     summary="Get a user", dependencies=AUTHENTICATED, guards=[admin_only])
async def read_user(services: AppServices, principal: Caller, user_id: UUID) -> UserResponse:
    """One user of the caller's organization (admin)."""
    return await _user_response(services, principal.org_id, user_id)


@patch("/api/v1/users/{user_id:uuid}", operation_id="update_user", tags=["users"],
       summary="Update a user", dependencies=AUTHENTICATED, guards=[admin_only])
async def update_user_by_admin(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller, user_id: UUID,
    data: UserUpdate,
) -> UserResponse:
    """Change any field of a user of the caller's organization (admin)."""
    await _find_user(services, principal.org_id, user_id)
    return await _update(request, services, principal, user_id, data)


async def _deactivate(
    request: Request[Any, Any, Any], services: Services, principal: Principal, user_id: UUID,
) -> None:
    await _find_user(services, principal.org_id, user_id)
    await run_command(request, principal, deactivate_user, DeactivateUser(
        org_id=principal.org_id, user_id=user_id, actor_id=principal.actor_id,
    ), wait_for=("identity",))
    await revoke_sessions_of(services, user_id)


@delete("/api/v1/users/{user_id:uuid}", operation_id="delete_user", tags=["users"],
        summary="Deactivate a user", dependencies=AUTHENTICATED, guards=[admin_only])
async def delete_user(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller, user_id: UUID,
) -> None:
    """Deactivate a user (admin): their tokens stop working at once; 204."""
    await _deactivate(request, services, principal, user_id)


@post("/api/v1/users/{user_id:uuid}/deactivate", operation_id="deactivate_user",
      tags=["users"], status_code=200, summary="Deactivate a user (explicit)",
      dependencies=AUTHENTICATED, guards=[admin_only])
async def deactivate_user_route(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller, user_id: UUID,
) -> UserResponse:
    """Deactivate a user (admin) and answer their profile."""
    await _deactivate(request, services, principal, user_id)
    return await _user_response(services, principal.org_id, user_id)


ROUTES = [read_me, update_me, read_users, create_user, read_user, update_user_by_admin,
          delete_user, deactivate_user_route]
