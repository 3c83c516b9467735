"""The daily attendance feed of the real-name platform: who worked on which project on which day,
and for how long (work hours, or the in and out times). When the file names the worker
(workerName / 姓名), the name must be the one on the real-name register for the ID number."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from hexie.monitoring.feeds.columns import ID_NUMBER, PROJECT, Column, OneOf
from hexie.monitoring.feeds.messages import BEFORE_ENTRY
from hexie.monitoring.feeds.spec import (
    NAME_MISMATCH,
    PROJECT_CHECKS,
    WORKER_CHECKS,
    Check,
    FeedSpec,
    Key,
    date_checks,
)
from hexie.monitoring.feeds.sql import as_date, as_time, clean, lit, minutes_from_hours

BAD_TIME = gettext_noop("时间格式不正确，应为 HH:MM")

ATTENDANCE = FeedSpec(
    name="attendance",
    columns=(
        PROJECT, ID_NUMBER,
        Column("worker_name", "workerName", "姓名", ("name", "工人姓名")),
        Column("work_date", "date", "考勤日期", ("checkdate", "attendancedate", "workdate", "日期")),
        Column("work_hours", "workHours", "工时", ("hours", "工作时长")),
        Column("in_time", "inTime", "进场时间", ("上班时间",)),
        Column("out_time", "outTime", "离场时间", ("下班时间",)),
    ),
    required=("project_code", "id_number", "work_date"),
    one_of=(OneOf("work_hours", (("work_hours",), ("in_time", "out_time")),
                  gettext_noop("缺少必填列 工时（或进场时间和离场时间）")),),
    text={
        "project_code": clean("project_code"), "idn": clean("id_number"), "name_s": clean("worker_name"),
        "date_s": clean("work_date"),
        "hours_s": clean("work_hours"), "in_s": clean("in_time"), "out_s": clean("out_time"),
    },
    typed={
        "work_date": as_date("date_s"), "hours_min": minutes_from_hours("hours_s"),
        "in_t": as_time("in_s"), "out_t": as_time("out_s"),
    },
    derived={
        # Hours, when given, win over the in and out times.
        "minutes": "CASE WHEN hours_s IS NOT NULL THEN hours_min "
                   "WHEN in_t IS NOT NULL AND out_t IS NOT NULL AND out_t >= in_t "
                   "THEN date_diff('minute', in_t, out_t) END",
        "month": "CAST(strftime(work_date, '%Y%m') AS INTEGER)",
    },
    checks=(
        *PROJECT_CHECKS, *WORKER_CHECKS,
        Check("worker_name", "name_s IS NOT NULL AND worker_name IS NOT NULL "
              "AND replace(name_s, ' ', '') <> replace(worker_name, ' ', '')", NAME_MISMATCH),
        *date_checks("work_date", "date_s", "work_date"),
        Check("work_date", "work_date < entry_date", message_sql=(
            f"replace({lit(BEFORE_ENTRY)}, '%(date)s', strftime(entry_date, '%Y-%m-%d'))")),
        Check("work_hours", "hours_s IS NULL AND (in_s IS NULL OR out_s IS NULL)",
              gettext_noop("须填写工时，或进场时间和离场时间")),
        Check("work_hours", "hours_s IS NOT NULL AND hours_min IS NULL",
              gettext_noop("工时格式不正确，应为小时数（如 8 或 7.5）")),
        Check("work_hours", "hours_min > 1440", gettext_noop("工时应在0至24小时之间")),
        Check("in_time", "hours_s IS NULL AND in_s IS NOT NULL AND in_t IS NULL", BAD_TIME),
        Check("out_time", "hours_s IS NULL AND out_s IS NOT NULL AND out_t IS NULL", BAD_TIME),
        Check("out_time", "hours_s IS NULL AND out_t < in_t",
              gettext_noop("离场时间早于进场时间")),
    ),
    key=Key(("worker_id", "project_id", "work_date"), "work_date", gettext_noop("同一人同一项目同一天")),
    keep=("project_id", "worker_id", "work_date", "month", "minutes"),
    lake_select="SELECT worker_id, project_id, work_date, month, CAST(minutes AS INTEGER) AS minutes "
                "FROM conv ORDER BY project_id, work_date, worker_id",
)
