"""What a site admin says about an area indicator when loading it."""

from __future__ import annotations

from marshmallow import Schema, fields

from betterway_map.web.fields import public_name, text

__all__ = ["AreaIndicatorSchema"]


class AreaIndicatorSchema(Schema):
    name = public_name(
        "Name",
        max_length=120,
        help="As council officers will know it, e.g. 'Loneliness index (modelled), 2024'. "
        "Loading an indicator of the same name again replaces it when you tick 'Replace'.",
    )
    source = text(
        "Source",
        max_length=300,
        required=True,
        help="Who publishes it and where, e.g. 'ONS, English Indices of Deprivation 2019'.",
    )
    licence = text(
        "Licence", max_length=200, required=True, help="e.g. 'Open Government Licence v3.0'."
    )
    value_label = text(
        "What the value is",
        max_length=80,
        help="e.g. 'IMD score'. Left blank: the value column's name.",
    )
    higher_is_more_need = fields.Boolean(
        load_default=True,
        metadata={
            "label": "A higher value means more need",
            "help": "Untick for ranks, where 1 is the most in need.",
        },
    )
    replace = fields.Boolean(
        load_default=False,
        metadata={"label": "Replace the indicator of this name if it is already loaded"},
    )
