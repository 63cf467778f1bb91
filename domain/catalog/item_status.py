"""The statuses of a content item and what a reviewer may set."""

PENDING = "pending"
GENERATED = "generated"
FLAGGED = "flagged"
APPROVED = "approved"
REJECTED = "rejected"
SYNCED = "synced"
EXCLUDED = "excluded"

STATUSES = (PENDING, GENERATED, FLAGGED, APPROVED, REJECTED, SYNCED)
"""pending → generated | flagged (generation) → approved | rejected (review) → synced."""
STATUS_COUNT_KEYS = (*STATUSES, EXCLUDED)
"""The keys of a project's `status_counts`: an excluded item counts as excluded only."""
REVIEW_STATUSES = (APPROVED, REJECTED, FLAGGED, PENDING)
"""What a reviewer may set (pending: write it again at the next generation run)."""

CONTENT_FIELDS = ("name", "short_description", "long_description", "meta_title",
                  "meta_description")
