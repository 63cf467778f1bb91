"""Whether a job runs on a project, for the routes that must not run beside one (truncate).

The jobs context answers this from its read model; until it serves one, no job can run,
and the answer is always no.
"""

from typing import Any
from uuid import UUID

from psycopg import AsyncConnection


async def project_has_running_job(conn: AsyncConnection[Any], org_id: UUID,
                                  project_id: UUID) -> bool:
    """True while a queued or running job works on the project."""
    return False
