"""Admin for the calendar tables: where a bureau enters a new year after the State Council notice."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from hexie.workcal import services
from hexie.workcal.models import CalendarYear, SpecialDay

WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """Years and whether they are complete: an incomplete year gives provisional deadlines."""

    list_display = ("year", "is_complete", "source", "updated_at")
    list_filter = ("is_complete",)
    search_fields = ("source", "note")
    readonly_fields = ("updated_at",)
    actions = ("mark_complete",)

    @admin.action(description=_("标记为已完整录入"))
    def mark_complete(self, request: HttpRequest, queryset: QuerySet[CalendarYear]) -> None:
        """Goes through the service so that provisional deadlines in these years are recomputed."""
        years = sorted(queryset.values_list("year", flat=True))
        for year in years:
            services.set_year_complete(year=year, source="manual")
        self.message_user(
            request,
            _("已标记 %(n)d 个年度为完整。") % {"n": len(years)},
            messages.SUCCESS,
        )


@admin.register(SpecialDay)
class SpecialDayAdmin(admin.ModelAdmin):
    """Holidays and make-up working days; the date hierarchy browses them by year and month."""

    list_display = ("date", "weekday", "kind", "name")
    list_filter = ("kind",)
    date_hierarchy = "date"
    search_fields = ("name",)
    readonly_fields = ("updated_at",)

    @admin.display(description=_("星期"), ordering="date")
    def weekday(self, obj: SpecialDay) -> str:
        """Shown because a make-up working day on a weekday is almost always a typing mistake."""
        return f"{WEEKDAYS_ZH[obj.date.weekday()]} {obj.date.strftime('%a')}"
