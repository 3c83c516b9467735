"""Every write of insights: keyword-only, typed, each in a transaction.

`bulletins` generates and archives bulletins, each with an audit entry; `documents` issues a
case's official documents, each with a case timeline event (they are part of the case file).
"""
