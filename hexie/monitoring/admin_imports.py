"""Admin for feed imports: the ledger, read-only (imports go through the upload page or the API,
which check them; a row edited here would no longer match its file or its lake rows)."""


from django.contrib import admin

from hexie.core.admin import ReadOnlyAdmin
from hexie.monitoring.models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ["id", "feed", "source", "original_name", "state", "rows_total", "rows_imported", "error_count",
                    "org_unit", "created_by", "created_at", "finished_at"]
    list_filter = ["feed", "source", "state"]
    search_fields = ["original_name", "sha256"]
    date_hierarchy = "created_at"
    list_select_related = ["org_unit", "created_by"]

    # Read-only: uploads go through the import page or the API, which check the file, and the
    # ledger is what stops the same file being imported twice.
