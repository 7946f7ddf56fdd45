"""A group's manage page: its details form, status and checks, and its
meetings (cancel or move one, undo a change, add or delete a one-off).

Shared by the group views (``groups.edit``) and the meeting views
(``meetings.*``), which show the page again with their form's errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from flask_login import current_user

from betterway_map.domain import vocab
from betterway_map.register.schemas.groups import GroupUpdateSchema
from betterway_map.register.schemas.meetings import (
    CancelMeetingSchema,
    MoveMeetingSchema,
    OneOffSchema,
)
from betterway_map.register.services import meetings as meeting_service
from betterway_map.register.services import spaces as space_service
from betterway_map.register.views.pages import money_spec, render_form
from betterway_map.web.forms import fields_of, values_for_form

__all__ = ["MEETING_FORMS", "MeetingForms", "space_choices", "group_specs", "manage_group_page"]

# The meeting forms of the page, by name, and the field that picks a space in each.
MEETING_FORMS = {
    "cancel": (CancelMeetingSchema, None),
    "move": (MoveMeetingSchema, "move_space"),
    "one_off": (OneOffSchema, "one_off_space"),
}


@dataclass(frozen=True)
class MeetingForms:
    """The meeting form shown again (``refused``: its name in
    ``MEETING_FORMS``), with its values and errors by form field; the
    others are shown empty."""

    refused: str | None = None
    values: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)

    def values_of(self, name: str) -> dict:
        return self.values if name == self.refused else {}

    def errors_of(self, name: str) -> dict:
        return self.errors if name == self.refused else {}


def space_choices(organisation_id: int) -> tuple:
    """The organisation's spaces to choose from, as (id, label) pairs."""
    spaces = space_service.list_spaces(organisation_id=organisation_id, page_size=100).items
    return tuple((space.id, f"{space.name}, {space.postcode}") for space in spaces)


def group_specs(schema, choices: tuple) -> list:
    """The group form's fields, with the organisation's spaces to choose from."""
    changes = {"space_id": {"choices": choices}, "status": {"required": True}}
    specs = [replace(spec, **changes.get(spec.name, {})) for spec in fields_of(schema)]
    cost = money_spec(
        "cost",
        "Cost each time (£)",
        "In pounds and pence, e.g. 2.50. Leave empty or put 0 if free.",
    )
    at = next(i for i, spec in enumerate(specs) if spec.name == "cost_note")
    return [*specs[:at], cost, *specs[at:]]


def _meeting_specs(choices: tuple) -> dict[str, list]:
    specs = {}
    for name, (schema, space_field) in MEETING_FORMS.items():
        specs[name] = [
            replace(spec, choices=choices) if spec.name == space_field else spec
            for spec in fields_of(schema())
        ]
    return specs


def manage_group_page(
    group_id: int,
    *,
    values: dict | None = None,
    errors: dict | None = None,
    forms: MeetingForms | None = None,
):
    """The manage page of a group the current user administers (and 400
    when any of its forms is shown with errors)."""
    to_manage = meeting_service.meetings_to_manage(current_user, group_id)
    group = to_manage.group
    schema = GroupUpdateSchema()
    forms = forms or MeetingForms()
    if values is None:
        values = values_for_form(schema, group)
        values["cost"] = f"{group.cost_pence / 100:.2f}"
    page, status = render_form(
        "register/groups/form.html",
        schema,
        specs=group_specs(schema, to_manage.space_choices),
        values=values,
        errors=errors or {},
        organisation=group.organisation,
        group=group,
        statuses=vocab.GROUP_STATUSES,
        meetings=to_manage,
        forms=forms,
        meeting_specs=_meeting_specs(to_manage.space_choices),
    )
    return page, (400 if forms.errors else status)
