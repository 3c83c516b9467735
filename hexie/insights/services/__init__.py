"""Every write of insights: keyword-only, typed, each in a transaction.

`bulletins` generates and archives bulletins, each with an audit entry.
"""
