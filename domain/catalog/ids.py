"""Ids derived from natural keys, so that doing a thing twice finds the same aggregate."""

from uuid import NAMESPACE_URL, UUID, uuid5

TONE_NAMESPACE = uuid5(NAMESPACE_URL, "urn:copydesk:custom-tones")
BATCH_NAMESPACE = uuid5(NAMESPACE_URL, "urn:copydesk:import-batches")


def item_id(source_id: UUID, external_id: str) -> UUID:
    """A content item's id: the same product of the same source is always the same item."""
    return uuid5(source_id, external_id)


def tone_id(org_id: UUID, key: str) -> UUID:
    """The aggregate id of an organization's custom tone `key`."""
    return uuid5(TONE_NAMESPACE, f"{org_id}:{key}")


def import_batch_id(source_id: UUID, first_external_id: str) -> UUID:
    """An import batch's id: named by its source and its first product (imported once)."""
    return uuid5(BATCH_NAMESPACE, f"{source_id}:{first_external_id}")


_IMPORT_JOBS = UUID("0d6c5c1e-52a4-4f0e-9a57-3b8f3f0b7c21")


def import_job_id(source_id: UUID) -> UUID:
    """The id of the job importing a file source (one per source, so it is known from the
    source alone)."""
    return uuid5(_IMPORT_JOBS, str(source_id))
