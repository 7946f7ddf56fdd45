"""What an import did, event by event, in words: created, updated, already
up to date, skipped (and why), and notes about what was imported (a place
that matched none of the organisation's spaces, a change that was ignored)."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["ImportReport"]


@dataclass
class ImportReport:
    source: str
    read: int = 0
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Single events that were over before today: counted, not listed one by one.
    past: int = 0

    @property
    def summary(self) -> str:
        """
        >>> ImportReport("cal.ics", read=5, created=["a", "b"], skipped=["c"], past=2).summary
        'cal.ics: read 5 events; created 2, updated 0, already up to date 0, skipped 3 (2 of them in the past).'
        """
        skipped = len(self.skipped) + self.past
        past = f" ({self.past} of them in the past)" if self.past else ""
        return (
            f"{self.source}: read {self.read} event{'' if self.read == 1 else 's'}; "
            f"created {len(self.created)}, updated {len(self.updated)}, already up to date "
            f"{len(self.unchanged)}, skipped {skipped}{past}."
        )

    def sections(self) -> list[tuple[str, list[str]]]:
        """(heading, lines) for each part that has something in it."""
        skipped = list(self.skipped)
        if self.past:
            skipped.append(
                f"{self.past} single event{' was' if self.past == 1 else 's were'} over before "
                "today, so not imported."
            )
        parts = [
            ("Created", self.created),
            ("Updated", self.updated),
            ("Already up to date", self.unchanged),
            ("Skipped", skipped),
            ("Please check", self.notes),
        ]
        return [(heading, lines) for heading, lines in parts if lines]

    def lines(self) -> list[str]:
        """The whole report as lines of text (for the command line)."""
        found = [self.summary]
        for heading, lines in self.sections():
            found.append(f"{heading}:")
            found.extend(f"  - {line}" for line in lines)
        return found
