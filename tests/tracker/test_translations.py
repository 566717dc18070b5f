"""Interface translations: every string in the code has a Bengali and a Hindi draft, the
placeholders survive, and the compiled .mo files are up to date with the .po files."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask.testing import FlaskClient

from tests.tracker.conftest import AuthActions, World

TRACKER = Path(__file__).resolve().parents[2] / "tracker"
TRANSLATIONS = TRACKER / "translations"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def source_messages() -> set[str]:
    method_map = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
    found = extract_from_dir(
        str(TRACKER),
        method_map,
        keywords={"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "N_": None},
    )
    return {message for _, _, message, _, _ in found if isinstance(message, str)}


@pytest.mark.parametrize("language", ["bn", "hi"])
def test_every_interface_string_has_a_draft_translation(language: str) -> None:
    po_path = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    translated = {m.id: m.string for m in catalog if m.id}
    missing = sorted(source_messages() - set(translated))
    assert not missing, f"run pybabel extract/update and translate: {missing}"
    for msgid, text in translated.items():
        assert text, f"{language}: no translation for {msgid!r}"
        assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(str(text))), msgid
    assert "DRAFT" in po_path.read_text(encoding="utf-8").split("msgid", 1)[0]


@pytest.mark.parametrize("language", ["bn", "hi"])
def test_compiled_catalogue_is_up_to_date(language: str) -> None:
    folder = TRANSLATIONS / language / "LC_MESSAGES"
    with (folder / "messages.po").open("rb") as handle:
        source = {m.id: m.string for m in read_po(handle) if m.id}
    compiled = read_mo(io.BytesIO((folder / "messages.mo").read_bytes()))
    assert {m.id: m.string for m in compiled if m.id} == source, "run: tracker compile-translations"


def test_pages_speak_bengali_and_hindi(
    client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login("fac_a", language=None)
    roster = client.get(f"/sessions/{world.session_a}/attendance").get_data(as_text=True)
    assert "উপস্থিতি সংরক্ষণ করুন" in roster  # the cohort is Bengali: the roster is too
    assert "(সহায়ক)" in roster  # the role, too, is named in the reader's language
    client.post("/language", data={"language": "hi"})
    roster = client.get(f"/sessions/{world.session_a}/attendance").get_data(as_text=True)
    assert "उपस्थिति सहेजें" in roster and '<html lang="hi">' in roster
    assert "(सहजकर्ता)" in roster
