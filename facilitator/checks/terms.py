"""The glossary's words in use: wherever the English of a string names a glossary term, its
translation uses that language's term and none of the words the glossary says to avoid.

The check follows the English, string by string, because the avoided words are avoided for
one idea only: "case" is wrong for a survivor and right in "case management". A string that
is not translated yet (still the English) is the translation report's business, not this one's.

Hindi and Bengali change the end of a word (सहजकर्ता, सहजकर्ताओं; সহায়ক, সহায়কের), and the
dot below a letter comes and goes (ताक़त, ताकत), so words are compared without the dot and
the last word of a term may take an ending. Findings are warnings, one per word and file:
wording for a translator to weigh, not a broken page.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pydantic import BaseModel

from facilitator.load import Content, english_object
from facilitator.model import Glossary
from facilitator.problems import Problem

# A letter of a word: \w misses the vowel signs of Indian scripts (they are marks, not
# letters), so the Devanagari and Bengali blocks count whole, but for the danda (। ॥).
LETTER = r"[\w\u0900-\u0963\u0966-\u09FF]"
VOWEL_SIGN = r"[\u093e-\u094c\u09be-\u09cc]"
NUKTA = {"\u093c", "\u09bc"}
SHOWN = 3  # other strings named in a message that stands for several
LONG_WORD = 4  # letters and signs: shorter words (से, की, का, আর) say nothing of the term
# The objects whose strings readers see, by kind, as content.sources names them.
KINDS = ("curriculum", "labels", "programme", "module", "instrument", "evaluation_form")


def normal(text: str) -> str:
    """Lower case, decomposed, without the nukta: the form in which words are compared."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(ch for ch in decomposed if ch not in NUKTA)


def _stem(word: str) -> str:
    """The word without its final vowel signs, where Hindi and Bengali endings attach."""
    return word.rstrip("".join(ch for ch in word if unicodedata.category(ch).startswith("M")))


def phrase(words: str) -> re.Pattern[str]:
    """A term or avoided word as a pattern: whole words. The last may take an ending
    (सहजकर्ताओं, দলের, facilitators); a word before it that ends in a vowel sign may change
    that sign (का, के, की), as Hindi does."""
    split = normal(words).split()
    parts = [_vowel_may_change(word) for word in split[:-1]]
    parts += [re.escape(_stem(word)) + f"{LETTER}*" for word in split[-1:]]
    return re.compile(r"(?<![\w\-\u0900-\u09FF])" + r"[\s\-]+".join(parts) + f"(?!{LETTER})")


def _vowel_may_change(word: str) -> str:
    stem = _stem(word)
    return re.escape(word) if stem == word else re.escape(stem) + f"{VOWEL_SIGN}?"


def forms(term: str) -> list[str]:
    """The ways a term may be written: 'हक़ / सरकारी योजना' gives both sides of the slash,
    'मन को टिकाना (ग्राउंडिंग)' both the words and the one in brackets."""
    pieces = re.split(r"[/()]", term)
    return [piece.strip() for piece in pieces if piece.strip()]


@dataclass(frozen=True)
class Term:
    """One glossary term as the check uses it, in English and in one language."""

    id: str
    english_term: str
    english: re.Pattern[str]
    wider: tuple[re.Pattern[str], ...]  # longer English terms that contain this one
    local: tuple[re.Pattern[str], ...]
    local_term: str
    avoid: tuple[tuple[str, re.Pattern[str]], ...]
    english_avoid: tuple[re.Pattern[str], ...]

    def named_in(self, english: str) -> bool:
        text = normal(english)
        for pattern in self.wider:  # "shame resilience" is not "resilience"
            text = pattern.sub(" ", text)
        return self.english.search(text) is not None


def terms_of(english: Glossary, local: Glossary) -> list[Term]:
    by_id = {term.id: term for term in local.terms}
    theirs = [by_id.get(term.id, term) for term in english.terms]
    shared = _shared_words(there.term for there in theirs)
    out = []
    for term, there in zip(english.terms, theirs, strict=True):
        longer = [
            phrase(other.term)
            for other in english.terms
            if other.id != term.id and normal(term.term) in normal(other.term)
        ]
        out.append(
            Term(
                id=term.id,
                english_term=term.term,
                english=_any(forms(term.term)),
                wider=tuple(longer),
                local=tuple(phrase(form) for form in _loose(forms(there.term), shared)),
                local_term=there.term,
                avoid=tuple((word, phrase(word)) for word in there.avoid),
                english_avoid=tuple(phrase(word) for word in term.avoid),
            )
        )
    return out


def _shared_words(terms: Iterable[str]) -> set[str]:
    """Words found in more than one term (ताकत in two of them): they say nothing of which."""
    seen: Counter[str] = Counter()
    for term in terms:
        seen.update({_stem(word) for word in normal(term).split()})
    return {word for word, count in seen.items() if count > 1}


def _loose(written: list[str], shared: set[str]) -> list[str]:
    """A term of several words is used when one of its longer words is, unless another term
    has that word too: a translation says 'कलंक' where the glossary has 'सामाजिक कलंक', and a
    sentence may split a phrase. A one-word term must be used as it is: that is where a wrong
    word (सुविधा) slips in."""
    words = [word for form in written if " " in form for word in form.split()]
    return written + [
        word
        for word in words
        if len(_stem(normal(word))) >= LONG_WORD and _stem(normal(word)) not in shared
    ]


def _any(words: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(phrase(word).pattern for word in words))


def strings(english: object, local: object, at: str = "") -> Iterator[tuple[str, str, str]]:
    """(English, translation, field) for every string of an object and its translation; the
    field is named as the translation report names it, such as sessions[intro].title."""
    if isinstance(english, BaseModel) and isinstance(local, BaseModel):
        for name, info in type(english).model_fields.items():
            value = getattr(english, name)
            if _read(value) and not _translatable(info.json_schema_extra):
                continue  # ids, file names, references: nobody reads them as words
            if name != "avoid":  # each language's own list, not a translation of the English
                yield from strings(value, getattr(local, name), _join(at, name))
    elif isinstance(english, list) and isinstance(local, list) and len(english) == len(local):
        for index, (one, other) in enumerate(zip(english, local, strict=True)):
            yield from strings(one, other, f"{at}[{getattr(one, 'id', index)}]")
    elif isinstance(english, dict) and isinstance(local, dict):
        for key, value in english.items():
            yield from strings(value, local.get(key), _join(at, key))
    elif isinstance(english, str) and isinstance(local, str):
        yield english, local, at


def _read(value: object) -> bool:
    """Whether a value is words (a string or a list of strings), not an object."""
    return isinstance(value, str) or (
        isinstance(value, list) and all(isinstance(one, str) for one in value)
    )


def _translatable(extra: object) -> bool:
    return isinstance(extra, dict) and bool(extra.get("translatable"))


def _join(at: str, name: str) -> str:
    return f"{at}.{name}" if at else name


def string_problems(term: Term, english: str, local: str, translated: bool) -> list[str]:
    """What is wrong with one string, in plain words; nothing if it does not name the term."""
    if not term.named_in(english):
        return []
    text = normal(local)
    found = []
    # A translation may use an avoided word where its English does too, to reject it
    # ("rights, not favours"); in English, a word rejected or quoted is not used.
    if not (translated and any(p.search(normal(english)) for p in term.english_avoid)):
        found += [
            f"'{word}' is a word the glossary says to avoid here: write '{term.local_term}'"
            for word, pattern in term.avoid
            if any(translated or not _rejected(text, m.start()) for m in pattern.finditer(text))
        ]
    if translated and not any(pattern.search(text) for pattern in term.local):
        found.append(
            f"the English says '{term.english_term}', but this translation does not use the "
            f"glossary's '{term.local_term}'"
        )
    return found


REJECTED = re.compile(r"(?:\bnot|\bno|\bnever|rather than|instead of)\s+(?:\w+\s+){0,2}$")


def _rejected(text: str, start: int) -> bool:
    """Whether the word at `start` is quoted, or rejected just before ("not a favour")."""
    before = text[:start]
    quoted = before.count('"') % 2 == 1 or before.count("“") > before.count("”")
    return quoted or REJECTED.search(before) is not None


def check_terms(content: Content) -> list[Problem]:
    if content.glossary is None:
        return []
    problems: list[Problem] = []
    for language in content.languages:
        local = content.localized(language.code)
        if local.glossary is None:
            continue
        terms = terms_of(content.glossary, local.glossary)
        for kind, obj_id in sorted(content.sources):
            if kind not in KINDS:
                continue
            problems += _object_problems(content, local, terms, kind, obj_id, language.default)
    return problems


def _object_problems(
    content: Content, local: Content, terms: list[Term], kind: str, obj_id: str, default: bool
) -> list[Problem]:
    english = english_object(content, kind, obj_id)
    translated = english_object(local, kind, obj_id)
    rel = content.sources[(kind, obj_id)]
    file = rel if default else _translation_file(rel, local.language)
    found: dict[str, list[str]] = {}  # message -> the fields it applies to, in file order
    for en, text, at in strings(english, translated, ""):
        if not default and en == text:
            continue  # not translated yet: shown in English, with its own notice
        for term in terms:
            for message in string_problems(term, en, text, translated=not default):
                found.setdefault(message, []).append(at)
    return [
        Problem(file, None, fields[0], message + _elsewhere(fields[1:]), "warning")
        for message, fields in found.items()
    ]


def _elsewhere(fields: list[str]) -> str:
    """One message for one word in one file, however many strings it is in: a translator
    fixes a habit, not a string at a time."""
    if not fields:
        return ""
    shown = ", ".join(fields[:SHOWN])
    more = f" and {len(fields) - SHOWN} more" if len(fields) > SHOWN else ""
    return f" (also in {shown}{more})"


def _translation_file(rel: str, language: str) -> str:
    stem, _, suffix = rel.rpartition(".")
    return f"{stem}.{language}.{suffix}"
