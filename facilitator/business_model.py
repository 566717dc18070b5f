"""The business records' content model: curriculum/businesses.yaml.

Some programmes (Kaarya) help survivors start and run micro-businesses and take stock of them
workshop by workshop. Which programmes keep such records, and the words of their lists (the
kinds of business, who disbursed money, the risks a business met), are content, so a partner
adapts them without code and translators translate them like the rest of the curriculum.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from pydantic import Field, model_validator

from facilitator.model import Id, Strict, Text, id_field, tr

# The choice whose words a facilitator writes herself (a risk not on the list).
OTHER = "other"


class BusinessChoice(Strict):
    """One entry of a list the tracker's business forms offer."""

    id: Id = id_field()
    label: Text = tr("What a facilitator reads on the form and in the summary, such as Poultry.")


class BusinessRecords(Strict):
    """curriculum/businesses.yaml: which programmes keep business records, and their lists."""

    programmes: list[Id] = Field(
        min_length=1,
        description="Ids of the programmes whose participants' businesses the tracker records "
        "(entry on her page, CSV import, the business summary), such as [kaarya].",
    )
    kinds: list[BusinessChoice] = Field(
        min_length=1,
        description="The kinds of business, such as tailoring or poultry; add one with id "
        "other for the rest.",
    )
    sources: list[BusinessChoice] = Field(
        min_length=1,
        description="Who disbursed money to a business: the organisation, a bank, a government "
        "livelihoods scheme.",
    )
    risks: list[BusinessChoice] = Field(
        min_length=1,
        description="The risks a business may meet, as the programme names them (family "
        "control, competition, debts...). An entry with id other lets the facilitator write "
        "a risk in her own words; those words stay on the participant's page.",
    )

    @model_validator(mode="after")
    def _ids_unique(self) -> BusinessRecords:
        for name, ids in (
            ("programmes", list(self.programmes)),
            ("kinds", [k.id for k in self.kinds]),
            ("sources", [s.id for s in self.sources]),
            ("risks", [r.id for r in self.risks]),
        ):
            twice = sorted(i for i, n in Counter(ids).items() if n > 1)
            if twice:
                raise ValueError(f"{name}: the id '{twice[0]}' is given twice")
        return self

    def keeps_records(self, programme_id: str) -> bool:
        return programme_id in self.programmes

    @staticmethod
    def labels(choices: list[BusinessChoice]) -> dict[str, str]:
        return {choice.id: choice.label for choice in choices}


def business_records(content: Any) -> BusinessRecords | None:
    """The loaded content's business records (None where curriculum/ has no businesses.yaml)."""
    found = getattr(content, "businesses", None)
    return found if isinstance(found, BusinessRecords) else None


def unknown_programmes(records: BusinessRecords, programme_ids: set[str]) -> list[str]:
    """Programme ids businesses.yaml names that the curriculum does not have."""
    return [pid for pid in records.programmes if pid not in programme_ids]
