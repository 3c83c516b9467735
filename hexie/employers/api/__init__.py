"""The registry API (/api/v1/registry/): employers, projects, work teams, the roster, monitoring
points and their reports, with the same services and scoping as the staff pages.

Refusals come back through ``hexie.core.api.exception_handler``: 400 naming the field, 403 a role
that may not write (partner agencies), 404 outside the user's jurisdiction (the same body as a row
that does not exist), 409 a worker who already left.
"""

from hexie.employers.api.employers import (
    EmployerDetailView,
    EmployerListCreateView,
)
from hexie.employers.api.points import (
    PointDetailView,
    PointListCreateView,
    ReportListCreateView,
)
from hexie.employers.api.projects import (
    ProjectDetailView,
    ProjectListCreateView,
    RosterExitView,
    RosterListCreateView,
    TeamListCreateView,
)

__all__ = [
    "EmployerDetailView",
    "EmployerListCreateView",
    "PointDetailView",
    "PointListCreateView",
    "ProjectDetailView",
    "ProjectListCreateView",
    "ReportListCreateView",
    "RosterExitView",
    "RosterListCreateView",
    "TeamListCreateView",
]
