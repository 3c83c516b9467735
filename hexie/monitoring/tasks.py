"""Background jobs of monitoring, discovered by the Huey worker: imports and the detection run."""

from hexie.monitoring.tasks_imports import *  # noqa: F403
from hexie.monitoring.tasks_warnings import *  # noqa: F403
