"""The citizen scorecard's content model: curriculum/scorecard.yaml.

A survivor collective rates how public offices (the duty-bearers) answered its members, with
three faces per question. The questions, the words of the faces, the kinds of office and
the services asked for are content, so a partner adapts them without code; the printed
sheet, the tracker's entry form and its figures all read this one definition.
"""

from __future__ import annotations

from collections import Counter
from typing import Literal

from pydantic import Field, field_validator, model_validator

from facilitator.model import Disclosure, Id, Strict, Text, disclosure_field, id_field, tr

# The faces are drawn by code (a smile, a straight mouth, a frown), so their ids are fixed;
# their words are content.
FACE_IDS = ("good", "okay", "bad")
FaceId = Literal["good", "okay", "bad"]


class Face(Strict):
    id: FaceId = Field(description="good, okay or bad: which face is drawn.")
    label: Text = tr("The face's name in one or two words, such as Good.")
    meaning: Text = tr("What choosing this face says, in a short phrase a member can hear.")


class ScorecardQuestion(Strict):
    id: Id = id_field()
    text: Text = tr(
        "The question as it is read out and printed, such as 'Were you treated with respect?'."
    )
    short: Text = tr("Two or three words for charts and tables, such as Respect.")
    guide: Text | None = tr(
        "Which face means what for this question, where it is not obvious (waiting, paying).",
        default=None,
    )


class DutyBearer(Strict):
    """A kind of public office: the office, never a named official."""

    id: Id = id_field()
    label: Text = tr("The kind of office as members name it, such as Health centre.")


class ScorecardService(Strict):
    id: Id = id_field()
    label: Text = tr("The service a member asked for, such as Victim compensation.")
    duty_bearers: list[Id] = Field(
        default=[],
        description="The kinds of office that usually give it (ids from duty_bearers), to "
        "list it first on the entry form; empty: any office.",
    )


class SheetWords(Strict):
    """The words printed around the questions on the paper sheet."""

    number: Text = tr("Where the sheet's number goes, such as Sheet no.")
    date: Text = tr("The date of the visit.")
    district: Text = tr("The district's name.")
    block: Text = tr("The block's name.")
    office: Text = tr("The question above the kinds of office, such as 'Which office? Tick one.'")
    service: Text = tr("The question above the services, such as 'What did you ask for?'")
    outcome: Text = tr("The question above the outcomes, such as 'What happened?'")
    granted: Text = tr("The outcome: the service was given.")
    pending: Text = tr("The outcome: still waiting for it.")
    refused: Text = tr("The outcome: it was refused.")
    days_waited: Text = tr("Where the days waited go.")
    entry_note: Text = tr(
        "A line for whoever types the sheets into the tracker: the small codes are the CSV "
        "import's columns and values."
    )


class Scorecard(Strict):
    """curriculum/scorecard.yaml: the citizen scorecard a collective fills in."""

    title: Text = tr("The scorecard's name, printed on the sheet and the advocacy brief.")
    instructions: Text = tr("What the person holding the sheet reads out before the questions.")
    consent: Text = tr(
        "The sentence on the sheet about taking part: anonymous, a free choice, kept by the "
        "collective."
    )
    method: Text = tr(
        "The method in two sentences, printed on the advocacy brief for the officials who read it."
    )
    faces: list[Face] = Field(
        description="Exactly three faces, in the order good, okay, bad, with their words."
    )
    questions: list[ScorecardQuestion] = Field(
        min_length=1, description="The questions, in the order they are asked and printed."
    )
    duty_bearers: list[DutyBearer] = Field(
        min_length=1, description="The kinds of public office a collective rates."
    )
    services: list[ScorecardService] = Field(
        min_length=1, description="The services members ask the offices for."
    )
    delayed_after_days: int = Field(
        30,
        ge=1,
        description="A service is counted as delayed when the member waited more than this "
        "many days for it.",
    )
    sheet: SheetWords = Field(description="The words printed around the questions on paper.")
    disclosure: Disclosure | None = disclosure_field(
        "the scorecard's counts", "the rule in curriculum.yaml"
    )

    @field_validator("faces")
    @classmethod
    def _three_faces(cls, faces: list[Face]) -> list[Face]:
        if tuple(face.id for face in faces) != FACE_IDS:
            raise ValueError("give exactly three faces, with ids good, okay and bad in that order")
        return faces

    @model_validator(mode="after")
    def _ids_known_and_unique(self) -> Scorecard:
        for name, ids in (
            ("questions", [q.id for q in self.questions]),
            ("duty_bearers", [d.id for d in self.duty_bearers]),
            ("services", [s.id for s in self.services]),
        ):
            twice = sorted(i for i, n in Counter(ids).items() if n > 1)
            if twice:
                raise ValueError(f"{name}: the id '{twice[0]}' is given twice")
        known = {d.id for d in self.duty_bearers}
        for service in self.services:
            unknown = [d for d in service.duty_bearers if d not in known]
            if unknown:
                raise ValueError(
                    f"service '{service.id}': '{unknown[0]}' is not an id from duty_bearers"
                )
        return self

    def face(self, face_id: str) -> Face | None:
        return next((face for face in self.faces if face.id == face_id), None)

    def question(self, question_id: str) -> ScorecardQuestion | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def duty_bearer(self, duty_bearer_id: str) -> DutyBearer | None:
        return next((d for d in self.duty_bearers if d.id == duty_bearer_id), None)

    def service(self, service_id: str) -> ScorecardService | None:
        return next((s for s in self.services if s.id == service_id), None)


# The CSV import's columns: the sheet's number (optional), the visit, then one column per
# question holding good, okay or bad. The paper sheet prints these as small codes.
CSV_SERIAL = "serial"
CSV_VISIT = ("held_on", "district", "block", "duty_bearer", "service", "outcome", "days_waited")
CSV_OPTIONAL = (CSV_SERIAL, "outcome", "days_waited")


def csv_columns(scorecard: Scorecard) -> list[str]:
    return [CSV_SERIAL, *CSV_VISIT, *(question.id for question in scorecard.questions)]
