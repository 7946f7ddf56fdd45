"""Our vocabularies as ORUK taxonomies and taxonomy terms.

Two vocabularies describe groups to someone looking for one: what a group
does (``vocab.INTERESTS``) and who it is for (``vocab.AUDIENCES``). Each is
a taxonomy; each value a term, whose ``term`` is the value we store and
whose ``name`` is the label people read. Ids are ``uuid5`` of the names, so
they never change while the values do not.

>>> term = TERMS_BY_ID[named_id("taxonomy_term", "interests", "music")]
>>> term.value, term.label, term.taxonomy.field
('music', 'Music and singing', 'interests')
"""

from __future__ import annotations

from dataclasses import dataclass

from betterway_map.domain import vocab
from betterway_map.interop.oruk.ids import named_id

__all__ = [
    "Taxonomy",
    "Term",
    "TAXONOMIES",
    "TERMS",
    "TAXONOMIES_BY_ID",
    "TERMS_BY_ID",
    "taxonomy_body",
    "term_body",
]


@dataclass(frozen=True)
class Taxonomy:
    """A vocabulary, and the group column (a JSON list) whose values it names."""

    field: str
    name: str
    description: str
    vocabulary: tuple

    @property
    def id(self) -> str:
        return named_id("taxonomy", self.field)

    @property
    def terms(self) -> tuple[Term, ...]:
        return tuple(Term(self, value, label) for value, label in self.vocabulary)


@dataclass(frozen=True)
class Term:
    taxonomy: Taxonomy
    value: str
    label: str

    @property
    def id(self) -> str:
        return named_id("taxonomy_term", self.taxonomy.field, self.value)


TAXONOMIES = (
    Taxonomy(
        "interests",
        "Better Way Map interests",
        "What a group does: the interests people can search groups by.",
        vocab.INTERESTS,
    ),
    Taxonomy(
        "audiences",
        "Better Way Map audiences",
        "Who a group is for.",
        vocab.AUDIENCES,
    ),
)
TERMS = tuple(term for taxonomy in TAXONOMIES for term in taxonomy.terms)
TAXONOMIES_BY_ID = {taxonomy.id: taxonomy for taxonomy in TAXONOMIES}
TERMS_BY_ID = {term.id: term for term in TERMS}


def term_body(term: Term) -> dict:
    """A taxonomy term as ORUK writes it."""
    return {
        "id": term.id,
        "name": term.label,
        "description": f"{term.taxonomy.name}: {term.label}.",
        "taxonomy": term.taxonomy.name,
        "taxonomy_id": term.taxonomy.id,
        "term": term.value,
    }


def taxonomy_body(taxonomy: Taxonomy, *, with_terms: bool = False) -> dict:
    """A taxonomy as ORUK writes it; its terms only when ``with_terms``."""
    body = {"id": taxonomy.id, "name": taxonomy.name, "description": taxonomy.description}
    if with_terms:
        body["taxonomy_terms"] = [term_body(term) for term in taxonomy.terms]
    return body
