"""A content tree for the print and bundle tests: the small example tree, with Bengali and
Hindi translations holding words whose conjuncts a broken text layer would split."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from facilitator.content import load_content
from facilitator.load import Content
from facilitator.printing.build import Printed, language_jobs, print_all, run
from facilitator.yamlfile import source_hash

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[2]

# Words with conjuncts and vowel signs, as they must come back out of the PDFs.
BENGALI_WORDS = ["প্রশিক্ষণ", "স্বাস্থ্য", "নিরাপত্তা", "আত্মবিশ্বাস", "বন্ধু"]
HINDI_WORDS = ["प्रशिक्षण", "श्रमिक", "सुरक्षित", "मित्र", "स्वास्थ्य"]

SECOND_HANDOUT = """\
  - {id: safe-people, title: My safe people, file: handouts/safe-people.md}
"""

# The pages the printed handbook opens with, before the programmes.
FRONT_PAGES = {
    "site/how-to-use.md": "# How to use this handbook\n\nRead the principles first.\n",
    "site/principles.md": "# Facilitation principles\n\nSafety first. Anyone may pass.\n",
}

TRANSLATIONS = {
    "modules/circle-of-trust/module.bn.yaml": """\
title: বিশ্বাসের বৃত্ত
summary: দলটি একসাথে প্রশিক্ষণ শুরু করে এবং নিজেদের শক্তির নাম বলে।
objectives:
  - দলের নিয়মগুলো একসাথে ঠিক করা।
  - প্রত্যেকে নিজের একটি শক্তির কথা বলা।
sessions:
  - id: strengths
    title: আমার শক্তি
    purpose: প্রত্যেকে আত্মবিশ্বাস নিয়ে একটি শক্তি আঁকে।
handouts:
  - id: strength-card
    title: আমার শক্তির কার্ড
  - id: safe-people
    title: আমার নিরাপদ মানুষ
""",
    "modules/circle-of-trust/module.hi.yaml": """\
title: विश्वास का घेरा
summary: समूह मिलकर प्रशिक्षण शुरू करता है और अपनी ताक़त का नाम लेता है।
objectives:
  - समूह के नियम मिलकर तय करना।
  - हर व्यक्ति अपनी एक ताक़त का नाम बताए।
sessions:
  - id: strengths
    title: मेरी ताक़त
    purpose: हर कोई सुरक्षित माहौल में अपनी एक ताक़त का चित्र बनाता है।
handouts:
  - id: strength-card
    title: मेरा ताक़त कार्ड
  - id: safe-people
    title: मेरे भरोसे के लोग
""",
    "modules/circle-of-trust/handouts/strength-card.bn.md": """\
# আমার শক্তির কার্ড

এখানে তোমার শক্তি আঁকো। স্বাস্থ্য, নিরাপত্তা আর বন্ধু।
""",
    "modules/circle-of-trust/handouts/strength-card.hi.md": """\
# मेरा ताक़त कार्ड

यहाँ अपनी ताक़त बनाइए। श्रमिक मित्र और स्वास्थ्य।
""",
    "modules/circle-of-trust/handouts/safe-people.hi.md": """\
# मेरे भरोसे के लोग

जिन लोगों के साथ मैं सुरक्षित हूँ।
""",
    "curriculum/instruments/self-check.bn.yaml": """\
title: নিজের সম্পর্কে আমার অনুভূতি
instructions: প্রতিটি বাক্য পড়ুন এবং কতটা একমত তা বেছে নিন।
items:
  - {id: speak-up, text: আমি দলে আত্মবিশ্বাস নিয়ে কথা বলতে পারি।}
  - {id: ask-help, text: আমি জানি সাহায্যের জন্য কাকে বলতে হবে।}
""",
    "curriculum/instruments/self-check.hi.yaml": """\
title: मैं अपने बारे में कैसा महसूस करती हूँ
instructions: हर वाक्य पढ़िए और चुनिए कि आप कितना सहमत हैं।
items:
  - {id: speak-up, text: मैं समूह में अपनी बात कह सकती हूँ।}
  - {id: ask-help, text: मुझे पता है कि सुरक्षित मदद किससे माँगनी है।}
""",
}


def make_print_tree(root: Path) -> Path:
    """Write the tree under `root` and return it."""
    shutil.copytree(FIXTURES / "good", root)
    for labels in sorted((REPO / "curriculum").glob("labels*.yaml")):
        shutil.copy(labels, root / "curriculum" / labels.name)
    module = root / "modules/circle-of-trust/module.yaml"
    text = module.read_text("utf-8").replace(
        "    debrief: [What did you notice about your strength?]\n    handouts: [strength-card]",
        "    debrief: [What did you notice about your strength?]\n"
        "    handouts: [strength-card, safe-people]",
    )
    text = text.replace("\nexpected_changes:", "\n" + SECOND_HANDOUT + "expected_changes:", 1)
    module.write_text(text, "utf-8")
    (root / "modules/circle-of-trust/handouts/safe-people.md").write_text(
        "# My safe people\n\nWrite the names of people you feel safe with.\n", "utf-8"
    )
    for rel, text in FRONT_PAGES.items():
        (root / rel).write_text(text, "utf-8")
    for rel, body in TRANSLATIONS.items():
        path = root / rel
        stem = path.name.split(".")[0]
        english = path.with_name(f"{stem}{path.suffix}")
        digest = source_hash(english.read_bytes())
        if path.suffix == ".md":
            path.write_text(f"---\nsource: {digest}\nstatus: draft\n---\n{body}", "utf-8")
        else:
            path.write_text(f"translation: {{source: {digest}, status: draft}}\n{body}", "utf-8")
    return root


@dataclass(frozen=True)
class PrintRun:
    root: Path
    out: Path
    content: Content
    printed: list[Printed]


_RUNS: dict[str, PrintRun] = {}


def print_run(factory: pytest.TempPathFactory) -> PrintRun:
    """Every PDF of the print tree, made once per test session."""
    if "run" not in _RUNS:
        root = make_print_tree(factory.mktemp("print-content") / "content")
        content = load_content(root)
        out = factory.mktemp("print-out")
        _RUNS["run"] = PrintRun(root, out, content, print_all(content, out))
    return _RUNS["run"]


def real_paper_run(factory: pytest.TempPathFactory) -> PrintRun:
    """The real curriculum's print packs and blank forms in every language, printed once
    per test session (not the handbook: its pages are the packs' and the forms' again)."""
    if "real" not in _RUNS:
        content = load_content(REPO)
        out = factory.mktemp("real-paper")
        jobs = [
            job
            for lang in (x.code for x in content.languages)
            for job in language_jobs(content, lang)
            if not job.rel.endswith("/handbook.pdf")
        ]
        _RUNS["real"] = PrintRun(REPO, out, content, run(content, jobs, out))
    return _RUNS["real"]
