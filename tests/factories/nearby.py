"""Test data for nearby search: places at a known geodesic distance and
bearing from a known origin, and a postcode for it in the gazetteer.

    space_id = space_at(app, org_id, km=0.5)          # 0.5 km north of ORIGIN
    group_id = make_group(app, org_id, space_id)      # from factories.organisations
"""

from __future__ import annotations

from geographiclib.geodesic import Geodesic

from betterway_map.domain.clock import today_in_uk
from betterway_map.extensions import db
from betterway_map.geocoding.models import PostcodePoint
from betterway_map.people.models import Consent, HelpListing
from tests.factories.organisations import make_space
from tests.factories.people import make_person

__all__ = [
    "ORIGIN",
    "POSTCODE",
    "point_at",
    "add_postcode",
    "space_at",
    "offer_at",
    "offer_at_point",
]

# A fictional demo postcode and where the gazetteer puts it.
POSTCODE = "ZZ1 1AA"
ORIGIN = (52.45, -0.98)


def point_at(km: float, bearing: float = 0.0, origin=ORIGIN) -> tuple[float, float]:
    """The point ``km`` (geodesic) from ``origin`` on ``bearing`` degrees."""
    found = Geodesic.WGS84.Direct(origin[0], origin[1], bearing, km * 1000)
    return found["lat2"], found["lon2"]


def add_postcode(app, postcode: str = POSTCODE, point=ORIGIN) -> None:
    with app.app_context():
        db.session.add(
            PostcodePoint(postcode=postcode, latitude=point[0], longitude=point[1], fictional=True)
        )
        db.session.commit()


def space_at(app, organisation_id: int, km: float, bearing: float = 0.0, **fields) -> int:
    """A space ``km`` from ORIGIN (step-free, not for hire unless told)."""
    lat, lon = point_at(km, bearing)
    fields.setdefault("hire_cost_pence", None)
    return make_space(app, organisation_id, latitude=lat, longitude=lon, **fields)


def offer_at(app, km: float, bearing: float = 0.0, kind: str = "shopping", **fields) -> int:
    """An open offer of help by a person whose home is ``km`` from ORIGIN; its id."""
    return offer_at_point(app, point_at(km, bearing), kind, **fields)


def offer_at_point(app, point, kind: str = "shopping", published: bool = True, **fields) -> int:
    """An open offer of help by a person whose home is at ``point`` (who
    agreed to their first name being shown with it, unless ``published`` is
    False); its id."""
    lat, lon = point
    listing = {"direction": "offer", "status": "open", "kind": kind}
    listing.update({k: fields.pop(k) for k in ("direction", "status") if k in fields})
    fields.setdefault("first_name", "Winifred")
    person_id = make_person(app, latitude=lat, longitude=lon, **fields)
    with app.app_context():
        row = HelpListing(person_id=person_id, **listing)
        db.session.add(row)
        if published:
            db.session.add(
                Consent(
                    person_id=person_id,
                    purpose="publish_offer",
                    method="online",
                    given_on=today_in_uk(),
                )
            )
        db.session.commit()
        return row.id
