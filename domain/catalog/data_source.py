"""A data source of a project: a file, manual entry or a store; it knows which products it
imported (so a re-import skips them) and which variants belong to which parent."""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from domain.aggregate import Aggregate
from domain.catalog.events import (
    ProductsImported,
    SourceDeleted,
    SourceImportCompleted,
    SourceImportFailed,
    SourceProductRemoved,
    SourceRegistered,
)
from domain.catalog.import_batch import (
    MAX_PRODUCT_CHARACTERS,
    cut_into_batches,
    product_size,
    text_size,
)
from domain.catalog.project import check_platform
from domain.catalog.records import CANONICAL_FIELDS, ITEM_TYPES, ProductRecord
from domain.errors import (
    AlreadyExistsError,
    ConflictError,
    InvalidCommandError,
    NotFoundError,
    TooLargeError,
)
from domain.events import DomainEvent

SOURCE_KINDS = ("file", "manual", "store")
PROCESSING, COMPLETED, FAILED = "processing", "completed", "failed"
MAX_NAME_LENGTH = 255
MAX_EXTERNAL_ID_LENGTH = 255
MAX_PRODUCT_NAME_LENGTH = 1000
MAX_ERROR_LENGTH = 2000
MAX_BATCH = 5000
"""Products one import command may carry (the import job sends 2,500)."""


def check_source_name(name: str) -> str:
    text = name.strip()
    if not 1 <= len(text) <= MAX_NAME_LENGTH:
        raise InvalidCommandError(f"name must be 1 to {MAX_NAME_LENGTH} characters")
    return text


def check_record(record: ProductRecord) -> int:
    """The record's size in characters (see `import_batch.product_size`); InvalidCommandError
    naming the product's line when a record cannot be an item."""
    where = f"line {record.line}"
    if not record.external_id.strip() or len(record.external_id) > MAX_EXTERNAL_ID_LENGTH:
        raise InvalidCommandError(
            f"{where}: the product id must be 1 to {MAX_EXTERNAL_ID_LENGTH} characters")
    if record.item_type not in ITEM_TYPES:
        raise InvalidCommandError(f"{where}: unknown item type {record.item_type!r}: expected"
                                  f" one of {', '.join(ITEM_TYPES)}")
    if record.item_type == "variant" and not record.parent_external_id:
        raise InvalidCommandError(f"{where}: a variant needs its parent's id")
    if len(record.name) > MAX_PRODUCT_NAME_LENGTH:
        raise InvalidCommandError(
            f"{where}: the name is longer than {MAX_PRODUCT_NAME_LENGTH} characters")
    size = product_size(record)
    if size > MAX_PRODUCT_CHARACTERS:
        raise InvalidCommandError(f"{where}: the product has {size:,} characters of text; at most"
                                  f" {MAX_PRODUCT_CHARACTERS:,} are kept per product")
    return size


def check_product_changes(fields: dict[str, Any], platform_fields: dict[str, Any]) -> None:
    """Changes to a product's fields (None removes one) that an item can take: canonical
    keys in `fields`, a name that stays, text where an import gives text."""
    for key in fields:
        if key not in CANONICAL_FIELDS:
            raise InvalidCommandError(f"unknown product field {key!r}")
    if "name" in fields:
        name = fields["name"]
        if not isinstance(name, str) or len(name) > MAX_PRODUCT_NAME_LENGTH:
            raise InvalidCommandError(
                f"name must be text of at most {MAX_PRODUCT_NAME_LENGTH} characters")
    if fields.get("sku") is not None and not isinstance(fields["sku"], str):
        raise InvalidCommandError("sku must be text (or null to remove it)")
    size = text_size(fields) + text_size(platform_fields)
    if size > MAX_PRODUCT_CHARACTERS:
        raise InvalidCommandError(f"the changes have {size:,} characters of text; at most"
                                  f" {MAX_PRODUCT_CHARACTERS:,} are kept per product")


class DataSource(Aggregate):
    def __init__(self, aggregate_id: UUID) -> None:
        super().__init__(aggregate_id)
        self.org_id: UUID | None = None
        self.project_id: UUID | None = None
        self.name = ""
        self.kind = ""
        self.platform = ""
        self.status = ""
        self.filename = ""
        self.file_key = ""
        self.column_mapping: dict[str, str] = {}
        self.deleted = False
        self.external_ids: set[str] = set()
        self.parents: dict[str, str] = {}  # variant's external id -> its parent's
        self._children: dict[str, list[str]] | None = None  # the reverse, made when asked

    def register(
        self, *, org_id: UUID, project_id: UUID, name: str, kind: str, platform: str,
        filename: str = "", file_key: str = "", column_mapping: dict[str, str] | None = None,
    ) -> None:
        """A file or store source starts `processing` (its import job completes it); a
        manual one is complete at once."""
        if self.exists:
            raise AlreadyExistsError("data source already exists")
        if kind not in SOURCE_KINDS:
            raise InvalidCommandError(
                f"unknown source kind {kind!r}: expected one of {', '.join(SOURCE_KINDS)}")
        self._record(SourceRegistered(
            org_id=org_id, project_id=project_id, name=check_source_name(name), kind=kind,
            platform=check_platform(platform), filename=filename.strip(), file_key=file_key,
            column_mapping=dict(column_mapping or {}),
            status=COMPLETED if kind == "manual" else PROCESSING,
        ))

    def accept_products(self, records: Sequence[ProductRecord]) -> list[list[ProductRecord]]:
        """The records not imported before (the first of any repeated id wins), recorded as
        imported and cut into batches (`import_batch.cut_into_batches`); the caller writes
        each batch as an `ImportBatch`."""
        self.check_not_deleted()
        if len(records) > MAX_BATCH:
            raise TooLargeError(f"at most {MAX_BATCH} products per import batch")
        fresh: dict[str, tuple[ProductRecord, int]] = {}
        for record in records:
            size = check_record(record)
            if record.external_id not in self.external_ids and record.external_id not in fresh:
                fresh[record.external_id] = (record, size)
        if fresh:
            self._record(ProductsImported(
                org_id=self._org_id, project_id=self._project_id, external_ids=tuple(fresh),
                parents={r.external_id: r.parent_external_id for r, _ in fresh.values()
                         if r.item_type == "variant" and r.parent_external_id},
            ))
        return cut_into_batches(fresh.values())

    def add_product(self, record: ProductRecord) -> None:
        """One product typed into a manual source; its item is then written on its own."""
        self.check_manual()
        check_record(record)
        if record.external_id in self.external_ids:
            raise AlreadyExistsError(f"product {record.external_id!r} is already in this source")
        parent = record.parent_external_id
        if record.item_type == "variant" and parent not in self.external_ids:
            raise InvalidCommandError(f"the variant's parent {parent!r} is not in this source")
        self._record(ProductsImported(
            org_id=self._org_id, project_id=self._project_id, external_ids=(record.external_id,),
            parents={record.external_id: parent} if record.item_type == "variant" and parent
            else {},
        ))

    def remove_product(self, external_id: str) -> None:
        """Forget one product of a manual source (a parent only once its variants are gone)."""
        self.check_manual()
        if external_id not in self.external_ids:
            raise NotFoundError(f"product {external_id!r} not found")
        if self.children_of(external_id):
            raise ConflictError(f"product {external_id!r} has variants: remove them first")
        self._record(SourceProductRemoved(org_id=self._org_id, project_id=self._project_id,
                                          external_id=external_id))

    def check_manual(self) -> None:
        """InvalidCommandError unless its products are typed in (a file or store source's
        products are what the file or the store says)."""
        self.check_not_deleted()
        if self.kind != "manual":
            raise InvalidCommandError(
                f"this is a {self.kind} source: products are added, edited and removed one by"
                " one only in a manual source")

    def complete_import(self) -> None:
        self.check_not_deleted()
        if self.status != COMPLETED:
            self._record(SourceImportCompleted(org_id=self._org_id, project_id=self._project_id))

    def fail_import(self, error_message: str) -> None:
        self.check_not_deleted()
        message = error_message.strip()[:MAX_ERROR_LENGTH] or "import failed"
        self._record(SourceImportFailed(org_id=self._org_id, project_id=self._project_id,
                                        error_message=message))

    def delete(self) -> None:
        self.check_not_deleted()
        self._record(SourceDeleted(org_id=self._org_id, project_id=self._project_id))

    def children_of(self, parent_external_id: str) -> list[str]:
        if self._children is None:
            self._children = {}
            for child, parent in self.parents.items():
                self._children.setdefault(parent, []).append(child)
        return list(self._children.get(parent_external_id, ()))

    def check_belongs_to(self, org_id: UUID, project_id: UUID) -> None:
        if not self.exists or self.org_id != org_id or self.project_id != project_id:
            raise NotFoundError("data source not found")
        self.check_not_deleted()

    def check_not_deleted(self) -> None:
        if self.deleted:
            raise NotFoundError("data source not found")

    @property
    def _org_id(self) -> UUID:
        assert self.org_id is not None, "the data source was never registered"
        return self.org_id

    @property
    def _project_id(self) -> UUID:
        assert self.project_id is not None, "the data source was never registered"
        return self.project_id

    def evolve(self, event: DomainEvent) -> None:
        match event:
            case SourceRegistered():
                self.org_id = event.org_id
                self.project_id = event.project_id
                self.name = event.name
                self.kind = event.kind
                self.platform = event.platform
                self.status = event.status
                self.filename = event.filename
                self.file_key = event.file_key
                self.column_mapping = dict(event.column_mapping)
            case ProductsImported(external_ids=external_ids, parents=parents):
                # bulk updates: a large source is rebuilt for each batch of its import
                self.external_ids.update(external_ids)
                self.parents.update(parents)
                self._children = None
            case SourceProductRemoved(external_id=external_id):
                self.external_ids.discard(external_id)
                self.parents.pop(external_id, None)
                self._children = None
            case SourceImportCompleted():
                self.status = COMPLETED
            case SourceImportFailed():
                self.status = FAILED
            case SourceDeleted():
                self.deleted = True
            case _:
                pass
