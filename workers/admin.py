"""What the CLI does against the servers: create organizations, inspect and rebuild
projections."""

import secrets
from uuid import UUID, uuid4

import psycopg

from adapters.passwords import hash_password, password_problem
from adapters.postgres.event_log import max_position
from adapters.postgres.event_store import PostgresEventStore
from adapters.settings import Settings
from commands.bus import CommandBus
from commands.workflows.onboarding import OnboardOrganization, onboard_organization
from domain.errors import DomainError
from domain.log import EventMeta
from projections.base import Projection
from projections.parked import list_parked
from projections.rebuilds import rebuild_together
from projections.runner import tracked_positions

DEMO_EMAIL = "admin@demo.copydesk.local"


def create_organization(settings: Settings, name: str, email: str, password: str) -> UUID:
    problem = password_problem(password)
    if problem:
        raise SystemExit(f"copydesk: {problem}")
    store = PostgresEventStore(settings.database_url, pool_size=1, max_overflow=1)
    try:
        command = OnboardOrganization(org_id=uuid4(), name=name, admin_user_id=uuid4(),
                                      admin_email=email, admin_password_hash=hash_password(password))
        try:
            outcome = CommandBus(store).execute(onboard_organization, command,
                                                EventMeta(actor_type="system", actor_id="cli"))
        except DomainError as error:
            raise SystemExit(f"copydesk: {error}") from None
        return outcome.result
    finally:
        store.close()


def ensure_demo_organization(settings: Settings) -> tuple[str, str]:
    """The demo organization's admin login; made on first start, remembered under `home`."""
    path = settings.home / "demo_credentials"
    if path.exists():
        email, password = path.read_text().split("\n")[:2]
        return email, password
    password = secrets.token_urlsafe(12)
    create_organization(settings, "Demo Store", DEMO_EMAIL, password)
    path.write_text(f"{DEMO_EMAIL}\n{password}\n")
    path.chmod(0o600)
    return DEMO_EMAIL, password


async def projection_status(settings: Settings, projections: list[Projection]) -> list[str]:
    async with await psycopg.AsyncConnection.connect(settings.database_url) as conn:
        head = await max_position(conn)
        rows = {name: (pos, at) for name, pos, at in await tracked_positions(conn)}
    lines = [f"event store position {head}"]
    for p in projections:
        pos, at = rows.get(p.name, (0, None))
        lines.append(f"{p.name:<20} position {pos:>10}  lag {head - pos:>8}  updated {at}")
    return lines


def chosen_projections(projections: list[Projection], names: str) -> list[Projection]:
    """The projections named in `names` ("billing,audit"), in the registry's order; every one
    when it names none. A name that is not a projection ends the program, naming it."""
    wanted = {name.strip() for name in names.split(",") if name.strip()}
    if not wanted:
        return projections
    known = {p.name for p in projections}
    unknown = sorted(wanted - known)
    if unknown:
        raise SystemExit(f"copydesk: no projection named {', '.join(map(repr, unknown))}"
                         f" (there are: {', '.join(p.name for p in projections)})")
    return [p for p in projections if p.name in wanted]


async def rebuild_projections(settings: Settings, projections: list[Projection],
                              names: list[str]) -> None:
    """Rebuild the named read models (`all`: every one) together, in one pass over the log."""
    chosen = projections if names == ["all"] else chosen_projections(projections, ",".join(names))
    async with await psycopg.AsyncConnection.connect(settings.database_url,
                                                     autocommit=True) as conn:
        reached = await rebuild_together(conn, chosen)
    for name, position in reached.items():
        print(f"{name} rebuilt up to position {position}")


async def parked_events(settings: Settings) -> list[str]:
    async with await psycopg.AsyncConnection.connect(settings.database_url) as conn:
        rows = await list_parked(conn)
    if not rows:
        return ["no parked events"]
    return [f"{name:<12} position {position:>10}  {topic}  attempts {attempts}  {error}"
            for name, position, topic, attempts, error in rows]
