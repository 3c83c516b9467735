"""Every write to the registry: employers (``employers``), projects and work teams (``projects``), the
real-name roster (``roster``), monitoring points and their monthly reports (``points``); the checks
they share are in ``checks``.

Each service is keyword-only, typed, runs in one transaction, checks who may write and where, and
records what it did in the one audit log (``hexie.core.audit``) in the same transaction, so
leaders read every change with its author, and the object's history page in the admin shows it.

Who may write: administrators, leaders, handlers and front-desk staff, each within their own org
unit and below (the same jurisdiction they read). Partner agencies may not write (403). A row
outside the user's jurisdiction answers 404, the same as a row that does not exist; choosing an org
unit outside it is a validation error on the ``org_unit`` field.

Parties of a project (owner, general contractor, subcontractors) and the employer of a work team
may be any registered employer: a contractor registered in one district builds in another, and an
employer's name and credit code are public registry facts.
"""

from hexie.employers.services.employers import EmployerData, create_employer, update_employer
from hexie.employers.services.points import (
    ReportData,
    create_monitoring_point,
    parse_month,
    record_monitoring_report,
    update_monitoring_point,
)
from hexie.employers.services.projects import ProjectData, create_project, create_work_team, update_project
from hexie.employers.services.roster import AlreadyExited, WorkerRegistration, record_exit, register_worker

__all__ = [
    "AlreadyExited", "EmployerData", "ProjectData", "ReportData", "WorkerRegistration", "create_employer",
    "create_monitoring_point", "create_project", "create_work_team", "parse_month", "record_exit",
    "record_monitoring_report", "register_worker", "update_employer", "update_monitoring_point", "update_project",
]
