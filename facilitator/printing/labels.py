"""The words printed around the content on paper: cover, contents, forms.

Looked up in the content's labels (curriculum/labels.yaml and its translations) first, so a
translator translates them there; these English words stand in for any key not there yet.
"""

from __future__ import annotations

from facilitator.load import Content

PRINT_LABELS: dict[str, str] = {
    "handbook_title": "Me-We-Us facilitation companion",
    "handbook_subtitle": "Facilitator's handbook",
    "contents": "Contents",
    "page": "Page",
    "print_pack": "Print pack",
    "instruments": "Instruments and evaluation forms",
    "attendance_sheet": "Attendance sheet",
    "attendance_key": "Write P (present), L (late), E (excused) or A (absent).",
    "cohort": "Cohort",
    "participant_code": "Participant code",
    "form_number": "Form no. (serial)",
    "date": "Date",
    "place": "Place",
    "facilitators": "Facilitators",
    "timepoint": "When",
    "timepoint_pre": "Before the training",
    "timepoint_post": "After the training",
    "timepoint_follow_up": "Follow-up",
    "timepoint_retro_pre": "Looking back: before the training",
    "item_id_note": "The small code beside each question is its column in the tracker's "
    "CSV import.",
    "yes": "Yes",
    "no": "No",
    "other_option": "Other (write it in)",
    "question": "Question",
    "answer": "Answer",
    "choose_up_to": "Choose up to {n}.",
    "attendance_entry_note": "To type into the tracker: one row per participant and "
    "session, with the columns {columns}; the status is the letter written in the cell.",
    "choices_note": "In 'choices', write the codes of the ticked options, separated by "
    "'{separator}'.",
    "data_entry": "Data entry",
    "data_entry_note": "For the person typing the answers into the tracker: one row per "
    "questionnaire, columns in this order.",
    "follow_up_notice": "Your facilitator reads your answers. If an answer shows that you may "
    "want more support, she may speak with you privately, never in front of the group.",
    "for_facilitator": "For the facilitator: keep this page, do not hand it out",
    "item_care": "If an answer is worrying",
    # the offline bundle: links to a page's PDFs, and where the other languages are
    "pdf_print": "Print",
    "pdf_pack": "this module's print pack",
    "pdf_form": "the blank form",
    "pdf_attendance": "the attendance sheet",
    "pdf_handbook": "the whole handbook",
    "bundle_languages": "This copy of the handbook holds one language. The others are in "
    "handbook-all.zip, or in the zip of each language.",
}


def print_labels(content: Content, lang: str) -> dict[str, str]:
    """Labels for paper in `lang`: the content's own, then these English defaults."""
    return {**PRINT_LABELS, **content.localized(lang).labels}
