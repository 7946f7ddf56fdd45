"""A group's manage page: its details form, status and checks, and its
meetings (cancel one, undo a change, add or delete a one-off).

Shared by the group views (``groups.edit``) and the meeting views
(``meetings.*``), which show the page again with their form's errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from flask_login import current_user

from betterway_map.domain import vocab
from betterway_map.register.schemas.groups import GroupUpdateSchema
from betterway_map.register.schemas.meetings import CancelMeetingSchema, OneOffSchema
from betterway_map.register.services import meetings as meeting_service
from betterway_map.register.services import spaces as space_service
from betterway_map.register.views.pages import money_spec, render_form
from betterway_map.web.forms import fields_of, values_for_form

__all__ = ["MeetingForms", "group_specs", "manage_group_page"]


@dataclass(frozen=True)
class MeetingForms:
    """The values and errors of the two meeting forms, by form field."""

    cancel_values: dict = field(default_factory=dict)
    cancel_errors: dict = field(default_factory=dict)
    one_off_values: dict = field(default_factory=dict)
    one_off_errors: dict = field(default_factory=dict)


def group_specs(schema, organisation_id: int) -> list:
    """The group form's fields, with the organisation's spaces to choose from."""
    spaces = space_service.list_spaces(organisation_id=organisation_id, page_size=100).items
    space_choices = tuple((space.id, f"{space.name}, {space.postcode}") for space in spaces)
    changes = {"space_id": {"choices": space_choices}, "status": {"required": True}}
    specs = [replace(spec, **changes.get(spec.name, {})) for spec in fields_of(schema)]
    cost = money_spec(
        "cost",
        "Cost each time (£)",
        "In pounds and pence, e.g. 2.50. Leave empty or put 0 if free.",
    )
    at = next(i for i, spec in enumerate(specs) if spec.name == "cost_note")
    return [*specs[:at], cost, *specs[at:]]


def manage_group_page(
    group,
    *,
    values: dict | None = None,
    errors: dict | None = None,
    forms: MeetingForms | None = None,
):
    """The manage page (and 400 when any of its forms is shown with errors)."""
    schema = GroupUpdateSchema()
    forms = forms or MeetingForms()
    if values is None:
        values = values_for_form(schema, group)
        values["cost"] = f"{group.cost_pence / 100:.2f}"
    to_manage = meeting_service.meetings_to_manage(current_user, group.id)
    one_off_specs = [
        replace(spec, choices=to_manage.space_choices) if spec.name == "one_off_space" else spec
        for spec in fields_of(OneOffSchema())
    ]
    page, status = render_form(
        "register/groups/form.html",
        schema,
        specs=group_specs(schema, group.organisation_id),
        values=values,
        errors=errors or {},
        organisation=group.organisation,
        group=group,
        statuses=vocab.GROUP_STATUSES,
        meetings=to_manage,
        forms=forms,
        cancel_specs=fields_of(CancelMeetingSchema()),
        one_off_specs=one_off_specs,
    )
    refused = forms.cancel_errors or forms.one_off_errors
    return page, (400 if refused else status)
