"""What the public portal keeps for itself: filings and failed tracking look-ups per IP hash, for
the per-IP limits."""

from __future__ import annotations

from django.db import models


class TrackingFailure(models.Model):
    """A tracking look-up that matched no case, per IP hash (no IP kept in clear).

    Counted per hour so that tracking codes cannot be guessed by trying many of them; rows older
    than the window are deleted when new ones are written.
    """

    ip_hash = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(db_index=True)


class PortalSubmission(models.Model):
    """One public filing attempt per IP hash, for the per-IP rate limit (no IP kept in clear)."""

    ip_hash = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(db_index=True)


class PortalAddress(models.Model):
    """One row per IP hash that filed within the hour: the lock that makes the per-address limit
    hold under parallel filings.

    A filing first updates its address's row, which makes parallel filings from one address wait
    for each other (a row lock on PostgreSQL, the write lock on SQLite); only then does it count
    the address's filings of the hour, so none can slip past the limit between the count and the
    insert. Rows of addresses that have not filed for an hour are deleted.
    """

    ip_hash = models.CharField(max_length=64, unique=True)
    last_filed_at = models.DateTimeField(null=True)
