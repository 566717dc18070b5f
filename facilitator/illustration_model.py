"""curriculum/illustrations.yaml: the pictures drawn for the handbook, and their words.

Each picture is an SVG file in curriculum/illustrations/<id>.svg, drawn for this project.
Words inside a picture are written there as `{{label:key}}` and listed here under the
picture's `labels`, so that a translator translates them like any other string and the
picture shows in the page's language.
"""

from __future__ import annotations

from pydantic import Field

from facilitator.model import Id, Strict, Text, id_field, tr


class Illustration(Strict):
    """One picture: a drawing, a chart to copy, or a sheet of cards to cut out."""

    id: Id = id_field()
    title: Text = tr("The picture's name, as the materials list and the print pack show it.")
    description: Text = tr(
        "What the picture shows and how to use it, in one or two sentences; also read aloud "
        "to anyone who cannot see it."
    )
    cards: bool = Field(
        False, description="true for a sheet of cards: printed with dashed lines to cut along."
    )
    labels: dict[str, Text] = tr(
        "The words inside the picture by key: `{{label:me}}` in the SVG shows the text of `me`.",
        default={},
    )


class Illustrations(Strict):
    """The list of pictures, in the order the handbook's picture page shows them."""

    captions: dict[str, Text] = tr(
        "Words printed around the pictures: `cut` under a sheet of cards.", default={}
    )
    illustrations: list[Illustration] = Field(
        min_length=1, description="Every picture the handbook can show."
    )
