"""The demo city: a Changsha-like bureau loaded by `manage.py load_demo`, one room per part.

- `city`: the org tree, staff in every role, partner agencies
- `people`: names, mobile numbers and ID numbers of the city's people
- `employers`: employer and project specs; `registry`: writes them with teams, workers and rosters
- `plans`, `facts`, `paths`, `caseload`: a year of cases drawn as plans, step by step
- `replay`: the plans written through the case services (every call into `hexie.cases`)
- `feeds`: three months of monitoring feeds and the warning job (every call into `hexie.monitoring`)
- `prevention`: a year of check-ups, orders and evaluations, an employer account (every call into
  `hexie.prevention`)
- `documents`: roll-up, documents and bulletin (every call into `hexie.insights`)
- `loader`: `load_demo` and its summary; `logins`: the table of demo log-ins
"""
