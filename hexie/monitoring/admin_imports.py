"""Admin for feed imports: the ledger, read-only (imports go through the upload page or the API,
which check them; a row edited here would no longer match its file or its lake rows)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hexie.monitoring.models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["id", "feed", "source", "original_name", "state", "rows_total", "rows_imported", "error_count",
                    "org_unit", "created_by", "created_at", "finished_at"]
    list_filter = ["feed", "source", "state"]
    search_fields = ["original_name", "sha256"]
    date_hierarchy = "created_at"
    list_select_related = ["org_unit", "created_by"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in ImportBatch._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # upload through the import page or the API, which check the file

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the ledger is what stops the same file being imported twice
