"""The network's default settings, in one place.

``config.py`` reads each from the environment with these as its defaults,
``network.loader.NetworkSettings`` starts from them, and the analyses here
default to them when called without settings (in tests, doctests and
benchmarks).
"""

from __future__ import annotations

__all__ = ["ACTIVITY_WINDOW_DAYS", "H3_RESOLUTION", "WALKING_DISTANCE_M"]

# A tie, an attendance or a partnership with no activity for longer than this
# counts as lapsed. The platform's own choice, not an outside standard: about
# three months, so that someone at a monthly group who misses one meeting is
# not yet lapsed.
ACTIVITY_WINDOW_DAYS = 90

# Size of the area cells: an H3 resolution 8 hexagon is about 0.74 km² on
# average (H3 documentation, "Tables of cell statistics across resolutions"),
# small enough to show a neighbourhood, large enough to hold people to count.
H3_RESOLUTION = 8

# How far counts as "within a walk": about ten minutes on foot, the walkable
# neighbourhood of the Department for Transport's Manual for Streets (2007,
# section 4.4: "up to about 800 m").
WALKING_DISTANCE_M = 800
