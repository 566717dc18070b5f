"""The content model: the one place that knows the schema of curriculum and module files.

Field descriptions are documentation: they feed the JSON Schema for editors and the
handbook's authoring page. Fields typed ``Text`` (or lists of it) are what a translator
translates; everything else (ids, numbers, references) stays as the English file has it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints

# A string a reader sees, and so a translator translates. The marker lets the translation
# machinery find these fields without a second list of them.
TRANSLATABLE: dict[str, Any] = {"translatable": True}
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
# The patterns are named so that messages can say in words what they ask for.
ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
LANGUAGE_CODE_PATTERN = r"^[a-z]{2,3}$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=64)]


def tr(description: str, **kwargs: Any) -> Any:
    """A translatable field."""
    return Field(description=description, json_schema_extra=TRANSLATABLE, **kwargs)


def id_field() -> Any:
    return Field(
        description="A stable id: lower-case letters, digits and hyphens. Never translated; "
        "other files refer to it."
    )


def audience_field() -> Any:
    return Field(description="Who the training is with: survivors, social_workers or mixed.")


class Strict(BaseModel):
    """Unknown keys are errors: a misspelt field should not vanish silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Phase(StrEnum):
    me = "me"
    we = "we"
    us = "us"


class Audience(StrEnum):
    survivors = "survivors"
    social_workers = "social_workers"
    mixed = "mixed"


class OutcomeLevel(StrEnum):
    """Kirkpatrick's four levels: what an instrument item tells an evaluator."""

    reaction = "reaction"
    learning = "learning"
    behaviour = "behaviour"
    results = "results"


# ---------------------------------------------------------------- disclosure


class Disclosure(Strict):
    """How strongly the figures evaluators see are protected (small-count suppression)."""

    sensitive: bool = Field(
        default=True,
        description="True where knowing someone's answer could harm that person: self-harm, "
        "body image, violence. A sensitive rule needs a threshold of 3 or more. True unless "
        "you write false, so that forgetting it is safe.",
    )
    threshold: int = Field(
        default=5,
        ge=0,
        description="Counts from 1 to threshold - 1 are hidden from evaluators: with 5, counts "
        "of 1 to 4. 1 (or 0) shows every count exactly, which only a rule with sensitive: "
        "false may do.",
    )
    min_respondents: int = Field(
        default=0,
        ge=0,
        description="For a sensitive question: when fewer people than this answered in a "
        "cohort, an organisation or any other group of figures, none of that group's figures "
        "reach evaluators. 0 for no such minimum; otherwise at least the threshold.",
    )
    reason: Text = tr(
        "One sentence on why this level of protection applies, for the evaluator: it is "
        "printed on every output that shows these figures."
    )


def disclosure_field(what: str, replaces: str, more: str = "") -> Any:
    return Field(
        None,
        description=f"How strongly evaluators' figures for {what} are protected. Without it, "
        f"{replaces} applies.{more} A rule given here replaces {replaces} as a whole: no field "
        "is taken from it, and a field left out takes its default here (sensitive true, "
        "threshold 5, min_respondents 0).",
    )


def default_disclosure() -> Disclosure:
    """The rule where curriculum.yaml gives none: the safe one."""
    return Disclosure(
        reason="Counts below 5 are hidden so that nobody in a small group can be recognised."
    )


# ---------------------------------------------------------------- curriculum vocabulary


class Method(Strict):
    id: Id = id_field()
    label: Text = tr("The method's name as a facilitator knows it.")
    description: Text = tr("One or two sentences on what the method is and why it is used.")


class Topic(Strict):
    id: Id = id_field()
    label: Text = tr("The topic's name.")
    hard: bool = Field(
        False,
        description="A hard topic (body, sexuality, violence, shame, stigma...): a module that "
        "touches it must carry a care note.",
    )


class Language(Strict):
    code: Annotated[str, StringConstraints(pattern=LANGUAGE_CODE_PATTERN)] = Field(
        description="The ISO 639 code, such as bn or hi; translation files end in it."
    )
    name: str = Field(description="The language's name in its own script, for the switcher.")
    default: bool = Field(False, description="True for the source language (English).")


class GlossaryTerm(Strict):
    id: Id = id_field()
    term: Text = tr("The term in this language.")
    definition: Text = tr("What the term means, in plain words.")
    avoid: list[Text] = Field(
        default=[],
        description="Words not to use for this idea, because they stigmatise or confuse. Each "
        "language keeps its own list, of any length.",
        json_schema_extra={**TRANSLATABLE, "own_list": True},
    )


class Glossary(Strict):
    terms: list[GlossaryTerm] = Field(description="The key terms, each fixed in every language.")


class Service(Strict):
    """A kind of service a participant may be referred to, for the tracker's referral form."""

    id: Id = id_field()
    label: Text = tr("The kind of service as a facilitator names it, such as Counsellor.")


class Curriculum(Strict):
    """curriculum/curriculum.yaml: the vocabulary every module draws from."""

    languages: list[Language] = Field(
        min_length=1, description="The handbook's languages; exactly one is the default."
    )
    methods: list[Method] = Field(min_length=1, description="The methods modules may use.")
    topics: list[Topic] = Field(default=[], description="Topics; hard ones need care notes.")
    disclosure: Disclosure = Field(
        default_factory=default_disclosure,
        description="The rule for every figure that has no rule of its own: instruments and "
        "evaluation forms without a disclosure, and attendance and completion figures. "
        "Without it: sensitive, threshold 5, min_respondents 0.",
    )
    services: list[Service] = Field(
        default=[],
        description="The kinds of service a participant may be referred to (counsellor, "
        "health centre, legal aid...): the choices of the tracker's referral form.",
    )


class Programme(Strict):
    """curriculum/programmes/<id>.yaml: a training programme and the order of its modules."""

    id: Id = id_field()
    title: Text = tr("The programme's name.")
    subtitle: Text | None = tr("A line under the title.", default=None)
    summary: Text = tr("What the programme is for and who it is with, in a short paragraph.")
    audience: Audience = audience_field()
    spiral: bool = Field(
        False, description="True where the programme follows the Me-We-Us spiral phases."
    )
    order: int = Field(0, description="Where the programme stands among programmes.")
    modules: list[Id] = Field(min_length=1, description="Module ids, in teaching order.")


# ---------------------------------------------------------------- instruments


class ScalePoint(Strict):
    value: int = Field(description="The number stored for this answer.")
    label: Text = tr("What the respondent reads for this point.")


class FollowUpRule(Strict):
    """Which answers raise a care follow-up: her cohort's facilitators and coordinator see
    it in the tracker until they close it."""

    answers: list[StrictInt | str] = Field(
        description="The answers that raise it: yes or no for a yes_no instrument, values "
        "from the scale for the others, such as [1, 2] for the two lowest points. An empty "
        "list on an item turns its instrument's rule off for that item."
    )


def follow_up_field(more: str) -> Any:
    return Field(
        None,
        description="Which answers raise a care follow-up in the tracker, such as "
        f"{{answers: [yes]}}.{more}",
    )


class InstrumentItem(Strict):
    id: Id = id_field()
    text: Text = tr("The statement or question as the respondent reads it.")
    level: OutcomeLevel = Field(description="The outcome level this item measures.")
    reverse: bool = Field(False, description="True where a higher answer is a worse state.")
    care: Text | None = tr(
        "What the facilitator does when a respondent answers this item in a worrying way.",
        default=None,
    )
    disclosure: Disclosure | None = disclosure_field(
        "this item",
        "the instrument's rule",
        " It may be stricter than the instrument's rule, never less strict.",
    )
    follow_up: FollowUpRule | None = follow_up_field(
        " Without it, the instrument's rule applies; given here, it replaces that rule."
    )


class Instrument(Strict):
    """curriculum/instruments/<id>.yaml: a self-assessment given at several timepoints."""

    id: Id = id_field()
    title: Text = tr("The instrument's title.")
    kind: Literal["likert", "yes_no", "rating"] = Field(
        description="likert: agreement scale; yes_no: a yes/no questionnaire reported as "
        "percentages; rating: a self-rating per spoke, such as the wheel of empowerment."
    )
    audience: Audience = audience_field()
    instructions: Text = tr("What the facilitator reads out before the items.")
    retrospective_instructions: Text | None = tr(
        "The instructions for a retrospective-pre answer ('before the training, I was...').",
        default=None,
    )
    scale: list[ScalePoint] = Field(
        default=[], description="The answer options, lowest value first (not for yes_no)."
    )
    items: list[InstrumentItem] = Field(
        min_length=1, description="The questions or statements, in the order they are asked."
    )
    care_note: Text | None = tr(
        "A note for the facilitator on using this instrument safely.", default=None
    )
    disclosure: Disclosure | None = disclosure_field(
        "this instrument's items", "the rule in curriculum.yaml"
    )
    follow_up: FollowUpRule | None = follow_up_field(
        " The rule for every item that gives none of its own; without it, only items with "
        "their own rule raise follow-ups."
    )


class EvaluationOption(Strict):
    id: Id = id_field()
    text: Text = tr("The option as the respondent reads it.")


class EvaluationForm(Strict):
    """curriculum/evaluation_forms/<id>.yaml: 'three most useful skills learnt' and the like."""

    id: Id = id_field()
    title: Text = tr("The form's title.")
    audience: Audience = audience_field()
    question: Text = tr("The question the respondent answers.")
    choose_up_to: int = Field(3, ge=1, description="How many options a respondent may choose.")
    options: list[EvaluationOption] = Field(
        min_length=2, description="The choices a respondent picks from."
    )
    other: bool = Field(True, description="Whether an 'other' choice with free text is offered.")
    disclosure: Disclosure | None = disclosure_field(
        "this form's tallies", "the rule in curriculum.yaml"
    )


# ---------------------------------------------------------------- modules


class CareNote(Strict):
    """A highlighted block the facilitator reads before a hard part of a session."""

    content_note: Text = tr("What the hard part touches, said plainly and without detail.")
    grounding: Text = tr("A short grounding opening to do with the group before it starts.")
    right_to_pass: Text = tr("How to say that anyone may pass or step out, with no reason given.")
    closing: Text = tr("How to close the hard part so nobody leaves carrying it alone.")
    referral: Text = tr("Where to refer someone who needs more support than the group gives.")


class SessionRoles(Strict):
    """Who runs a session: written as roles in the team ("the facilitator the group knows"),
    never a person's name, so the plan travels between organisations."""

    lead: Text = tr("Who leads the session.")
    co: Text | None = tr("Who co-facilitates: watches the group, helps, steps in.", default=None)
    care: Text | None = tr(
        "The care person: who stays with anyone who needs a pause or support.", default=None
    )


class Session(Strict):
    """One timed block of the day: an activity, or a break."""

    id: Id = id_field()
    day: int = Field(1, ge=1, description="Which day of the training this session falls on.")
    title: Text = tr("The session's title.")
    minutes: int = Field(ge=5, le=480, description="How long the session runs, in minutes.")
    kind: Literal["activity", "break"] = Field(
        "activity", description="activity, or break for tea and meals."
    )
    method: Id | None = Field(
        None, description="The main method, an id from curriculum methods (not for breaks)."
    )
    purpose: Text | None = tr("What the session is for, in one sentence.", default=None)
    care: CareNote | None = Field(
        None, description="Required where the session touches a hard topic."
    )
    steps: list[Text] = tr("What the facilitator does, step by step.", default=[])
    materials: list[Text] = tr("What to have ready for this session.", default=[])
    pictures: list[Id] = Field(
        default=[],
        description="Ids of pictures from curriculum/illustrations.yaml that the materials "
        "ask for (a body outline, picture cards); shown beside the materials and printed in "
        "the module pack.",
    )
    debrief: list[Text] = tr("Questions to close the session with.", default=[])
    handouts: list[Id] = Field(default=[], description="Ids of handouts used in this session.")
    roles: SessionRoles | None = Field(
        None,
        description="Who leads, co-facilitates and is the care person in this session, such "
        "as {lead: the lead facilitator, co: the co-facilitator, care: the counsellor}. "
        "Without it, the day's agenda prints blanks to fill in by hand.",
    )


class Handout(Strict):
    id: Id = id_field()
    title: Text = tr("The handout's title.")
    file: str = Field(
        description="The Markdown file of the handout, relative to the module folder."
    )


class ExpectedChange(Strict):
    id: Id = id_field()
    text: Text = tr("The change the training hopes for, in the participants' lives or work.")
    measured_by: list[str] = Field(
        default=[],
        description="Instrument items that measure the change, as 'instrument-id/item-id'.",
    )


class Module(Strict):
    """modules/<id>/module.yaml: one workshop module."""

    id: Id = id_field()
    title: Text = tr("The module's title.")
    programme: Id = Field(description="The id of the programme the module belongs to.")
    phase: Phase | None = Field(
        None, description="me, we or us: required where the programme follows the spiral."
    )
    audience: Audience = audience_field()
    summary: Text = tr("What the module is about, in two or three sentences.")
    duration_minutes: int = Field(
        gt=0, description="The module's planned length: the sessions' minutes must add up to it."
    )
    builds_on: list[Id] = Field(
        default=[], description="Modules a group should have done before this one."
    )
    topics: list[Id] = Field(default=[], description="Topic ids from curriculum topics.")
    objectives: list[Text] = tr("What participants will be able to do or understand.")
    components: list[Text] = tr("The training components: the content covered.")
    methods: list[Id] = Field(min_length=1, description="Method ids from curriculum methods.")
    notes: str | None = Field(
        None,
        description="A Markdown file of background notes for the facilitator, relative to "
        "the module folder.",
    )
    sessions: list[Session] = Field(
        min_length=1, description="The timed sessions of the module, breaks included, in order."
    )
    handouts: list[Handout] = Field(
        default=[], description="Participant handouts, each a Markdown file in the module folder."
    )
    expected_changes: list[ExpectedChange] = Field(
        min_length=1, description="What the training hopes will change, and how it is measured."
    )
    instruments: list[Id] = Field(default=[], description="Instrument ids the module uses.")
    evaluation_forms: list[Id] = Field(default=[], description="Evaluation form ids it uses.")


class Labels(Strict):
    """curriculum/labels.yaml: the words the handbook's templates print around the content."""

    labels: dict[str, Text] = tr("Label key to the words shown, such as objectives: Objectives.")
