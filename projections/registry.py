"""The projections the projector runs: adding one means adding it here."""

from projections.audit.projection import AuditLog
from projections.base import Projection
from projections.billing.projection import BillingLedger
from projections.blog.media_projection import BlogMedia
from projections.blog.projection import BlogBoard
from projections.catalog.projection import CatalogBoard
from projections.identity.projection import IdentityDirectory
from projections.jobs.projection import JobProgress
from projections.pages.projection import PageDesigns
from projections.search.projection import ProductIndex
from projections.search.segments_projection import SavedSearches
from projections.stores.projection import StoreConnections


def all_projections() -> list[Projection]:
    return [IdentityDirectory(), BillingLedger(), AuditLog(), CatalogBoard(), JobProgress(),
            ProductIndex(), SavedSearches(), PageDesigns(), StoreConnections(), BlogBoard(),
            BlogMedia()]
