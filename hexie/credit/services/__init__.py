"""Every write of the credit app: records, grades, listings and publications (see each module)."""

from hexie.credit.services.grades import (
    compute_grades,
    decide_objection,
    finalise_grades,
    notify_grades,
    object_as_employer,
    object_to_grade,
    record_grade_delivery,
    record_violation,
)
from hexie.credit.services.listings import (
    decide_listing,
    expire_listings,
    issue_listing_notice,
    propose_listing,
    publish_listing,
    record_listing_delivery,
    record_statement,
    remove_early,
)
from hexie.credit.services.publications import generate_publication, issue_publication, review_publication

__all__ = [
    "compute_grades",
    "decide_listing",
    "decide_objection",
    "expire_listings",
    "finalise_grades",
    "generate_publication",
    "issue_listing_notice",
    "issue_publication",
    "notify_grades",
    "object_as_employer",
    "object_to_grade",
    "propose_listing",
    "publish_listing",
    "record_grade_delivery",
    "record_listing_delivery",
    "record_statement",
    "record_violation",
    "remove_early",
    "review_publication",
]
