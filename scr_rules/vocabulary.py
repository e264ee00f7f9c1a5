"""Words every layer shares, defined once: copies drift, and a drifted copy is a user bug.

Below ``case`` in the layering (beside ``errors``): it imports nothing from the package.
"""

from __future__ import annotations

import re
from datetime import date

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_iso_date(text: str) -> date:
    """Read a date spelt exactly YYYY-MM-DD; raise ValueError for anything else.

    ``date.fromisoformat`` alone also takes 20080520 and 2008-W21-2: a date an officer did
    not mean could pick the wrong law.
    """
    if not ISO_DATE.fullmatch(text):
        raise ValueError(f"{text!r} is not YYYY-MM-DD")
    return date.fromisoformat(text)
