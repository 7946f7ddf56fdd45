"""The zoom levels every map agrees on.

>>> MIN_ZOOM < SECTOR_ZOOM < MAX_ZOOM
True
"""

__all__ = ["MAX_ZOOM", "MIN_ZOOM", "SECTOR_ZOOM"]

# The closest zoom of every map (clustering needs one when there are no tiles).
MAX_ZOOM = 19
# The widest view the offline background names things for: a box of
# basemap.MAX_SPAN_DEG (0.4 degrees) fills a map at about this zoom.
MIN_ZOOM = 8
# The zoom from which the background's sector names (and the demo town's
# places and streets) replace district names.
SECTOR_ZOOM = 14
