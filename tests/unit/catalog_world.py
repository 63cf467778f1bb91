"""An in-memory copydesk for the catalog's handler tests: an organization with a project."""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from adapters.memory_store import InMemoryEventStore
from commands.catalog.access import find_item
from commands.catalog.projects import CreateProject, create_project
from commands.catalog.sources import AddManualSource, add_manual_source
from commands.generation.results import RecordGeneration, record_generation
from commands.identity.organization import CreateOrganization, create_organization
from commands.unit_of_work import UnitOfWork
from domain.catalog.content_item import ContentItem
from domain.catalog.ids import item_id
from domain.catalog.records import ProductRecord
from domain.generation.settings import GeneratedTexts, Validation
from tests.unit.world import USER, InMemoryWorld

META = USER


def product(external_id: str, item_type: str = "simple", parent: str | None = None,
            name: str = "", line: int = 2, **data: Any) -> ProductRecord:
    return ProductRecord(external_id=external_id, item_type=item_type, parent_external_id=parent,
                         name=name or f"Product {external_id}",
                         source_data={"sku": external_id, **data}, line=line)


def texts(short: str = "A fine product.") -> GeneratedTexts:
    return GeneratedTexts(short_description=short, long_description=f"<p>{short}</p>")


class World(InMemoryWorld):
    """An organization with a project."""

    def __init__(self, store: InMemoryEventStore | None = None) -> None:
        super().__init__(store)
        self.org_id = self.new_org()
        self.project_id = self.new_project()

    def new_org(self) -> UUID:
        org_id = uuid4()
        self.when(create_organization, CreateOrganization(
            org_id=org_id, name="Acme", admin_user_id=uuid4(),
            admin_email=f"{uuid4().hex[:8]}@acme.test", admin_password_hash="argon2$x"))
        return org_id

    def new_project(self, org_id: UUID | None = None, platform: str = "shopify") -> UUID:
        project_id = uuid4()
        self.when(create_project, CreateProject(org_id=org_id or self.org_id,
                                                project_id=project_id, name="Spring shop",
                                                platform=platform))
        return project_id

    def new_source(self, *records: ProductRecord, project_id: UUID | None = None,
                   org_id: UUID | None = None) -> UUID:
        source_id = uuid4()
        self.when(add_manual_source, AddManualSource(
            org_id=org_id or self.org_id, project_id=project_id or self.project_id,
            source_id=source_id, records=records))
        return source_id

    def item(self, source_id: UUID, external_id: str) -> ContentItem:
        return find_item(UnitOfWork(self.store), item_id(source_id, external_id))

    def generate(self, source_id: UUID, external_id: str, score: float = 0.9,
                 job_id: UUID | None = None, reasons: Sequence[str] = ()) -> bool:
        result: bool = self.when(record_generation, RecordGeneration(
            org_id=self.org_id, project_id=self.project_id,
            item_id=item_id(source_id, external_id), job_id=job_id or uuid4(), texts=texts(),
            validation=Validation(confidence_score=score, reasons=tuple(reasons)),
            provider="template", model="template-writer", tier="economy", input_tokens=10,
            output_tokens=20, xct_cost=Decimal("60.00"), cached=False, prompt_key="k1"))
        return result
