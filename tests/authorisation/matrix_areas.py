"""Matrix cases for area indicators: the site admin's pages.

An indicator is public reference data loaded by site admins; every site
admin manages every indicator (``others_allowed``).
"""

from tests.authorisation.matrix import Case, roles

SITE_ADMIN = roles("site_admin")


def _indicator(app, owner_user_id):
    from betterway_map.extensions import db
    from betterway_map.geocoding.areas import import_indicator
    from betterway_map.geocoding.models import AreaIndicator
    from tests.factories.area_indicators import ten_areas

    details = {
        "name": f"Indicator of {owner_user_id}",
        "source": "Test",
        "licence": "OGL",
        "value_label": None,
        "higher_is_more_need": True,
        "replace": True,
    }
    with app.app_context():
        import_indicator(*ten_areas(), details, owner_user_id, 1_000_000)
        indicator_id = db.session.scalar(
            db.select(AreaIndicator.id).where(AreaIndicator.name == details["name"])
        )
    return {"indicator_id": indicator_id}


CASES = [
    Case("areas.index", allowed=SITE_ADMIN),
    Case("areas.new", allowed=SITE_ADMIN),
    Case("areas.new", method="POST", allowed=SITE_ADMIN, data={"name": "x"}),
    Case("areas.delete", method="POST", allowed=SITE_ADMIN, record=_indicator, others_allowed=True),
]
