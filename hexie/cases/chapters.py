"""The case file read as chapters: one per track the case went along (mediation, arbitration, court…).

A chapter opens at the entry that put the case on a track (acceptance, a change of track, a step of
the chain) and holds every entry until the next one; the entries before any track (registration,
triage) form the opening chapter. Pure: it reads the entries it is given, in time order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from hexie.cases.models import TimelineEvent, Track


@dataclass
class Chapter:
    """The entries of one stretch of the case on one track."""

    track: str
    events: list[TimelineEvent] = field(default_factory=list)

    @property
    def title(self) -> str:
        return str(Track(self.track).label) if self.track in Track.values else str(_("登记与受理"))


def chapters(events: Iterable[TimelineEvent]) -> list[Chapter]:
    """The entries, oldest first, cut into chapters where the track changes."""
    out: list[Chapter] = [Chapter(track="")]
    for e in events:
        track = (e.data or {}).get("track", "") if isinstance(e.data, dict) else ""
        if track and track != out[-1].track:
            out.append(Chapter(track=track))
        out[-1].events.append(e)
    return [c for c in out if c.events]
