"""Every write of insights: keyword-only, typed, each in a transaction.

`bulletins` generates and archives bulletins (with an audit entry), `documents` issues a case's
official documents (with a case timeline event: they are part of the case file), `rollup`
refreshes the dashboards' roll-up of final cases (bookkeeping, no entry).
"""
