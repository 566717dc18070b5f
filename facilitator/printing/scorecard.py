"""The citizen scorecard on paper: one blank sheet a member fills in with faces, printed from
curriculum/scorecard.yaml in any of its languages.

The faces are drawn here (a smile, a straight mouth, a frown) as inline SVG, big enough to
circle with a pen; the tracker's entry form and charts use the same drawings. Each office,
service and outcome carries its CSV code in small print for whoever types the sheets in.

    html = scorecard_sheet_html(content, "bn")
"""

from __future__ import annotations

from markupsafe import Markup

from facilitator.load import Content
from facilitator.printing.document import document, render
from facilitator.scorecard_model import csv_columns

# The mouth of each face, as an SVG path on a 100 x 100 face.
MOUTHS = {
    "good": "M30 62 Q50 80 70 62",
    "okay": "M32 66 L68 66",
    "bad": "M30 72 Q50 54 70 72",
}


def face_svg(face_id: str, size: float = 48, label: str = "") -> Markup:
    """A face as an inline SVG, drawn in black lines (prints on any printer); `label` is
    what a screen reader says for it."""
    mouth = MOUTHS[face_id]
    named = f'role="img" aria-label="{Markup.escape(label)}"' if label else 'aria-hidden="true"'
    return Markup(
        f'<svg class="face face-{face_id}" xmlns="http://www.w3.org/2000/svg" '
        f'width="{size:g}" height="{size:g}" viewBox="0 0 100 100" {named}>'
        '<circle cx="50" cy="50" r="44" fill="none" stroke="currentColor" stroke-width="6"/>'
        '<circle cx="35" cy="40" r="6" fill="currentColor"/>'
        '<circle cx="65" cy="40" r="6" fill="currentColor"/>'
        f'<path d="{mouth}" fill="none" stroke="currentColor" stroke-width="6" '
        'stroke-linecap="round"/></svg>'
    )


def scorecard_sheet_html(content: Content, lang: str, *, collective: str = "") -> str:
    """A blank scorecard sheet in `lang` (English where a string is not translated)."""
    scorecard = content.localized(lang).scorecard
    if scorecard is None:
        raise KeyError("no curriculum/scorecard.yaml: there is no scorecard to print")
    body = render(
        "scorecard.html.j2",
        scorecard=scorecard,
        collective=collective,
        faces=[(face, face_svg(face.id, 36, face.label)) for face in scorecard.faces],
        columns=csv_columns(scorecard),
    )
    languages = tuple(language.code for language in content.languages)
    return document(body, lang=lang, title=scorecard.title, languages=languages)
