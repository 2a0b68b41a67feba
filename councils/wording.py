"""Words that depend on numbers: quantities, number agreement, order, comparison and change.

Every threshold is a constant here, and appendix B prints them from here, so the book's
vocabulary and its documentation cannot drift apart. English and Danish.

A :class:`Count` formats itself inside a template: ``"{n:Q} {n:have} a budget of {n:their} own"``
gives "A majority of the 30 responding councils have a budget of their own" for 21 of 30 and
"One of the 30 responding councils has a budget of its own" for 1 of 30. Each use is recorded as
a :class:`Said` on the sentence being written, so that tests can check every word against its
numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

LANGUAGES = ("en", "da")

# Quantity words, by the share of the base (exact fractions: no rounding at a boundary).
FEW_BELOW = Fraction(1, 5)  # few: more than none and under 20%
MINORITY_BELOW = Fraction(9, 20)  # a minority: 20% up to, not including, 45%
ABOUT_HALF_TO = Fraction(11, 20)  # about half: 45% to 55%, both included ("half" when exactly 1/2)
MOST_FROM = Fraction(4, 5)  # a majority: over 55% and under 80%; most: 80% or more, but not all
QUANTITY_ORDER = ("none", "few", "minority", "about_half", "half", "majority", "most", "all")
QUANTITY_WORDS = {
    "en": {"none": "none", "few": "few", "minority": "a minority", "about_half": "about half", "half": "half",
           "majority": "a majority", "most": "most", "all": "all"},
    "da": {"none": "ingen", "few": "få", "minority": "et mindretal", "about_half": "omkring halvdelen",
           "half": "halvdelen", "majority": "et flertal", "most": "de fleste", "all": "alle"},
}
# English verbs whose third person singular is not the infinitive plus -s.
IRREGULAR = {"have": "has", "do": "does", "are": "is", "were": "was", "go": "goes"}
SINGULAR_ONLY = {"has", "does", "is", "was"}
# Past tenses, the same for every subject ('1 council chose', 'councils chose').
PAST_TENSE = {"chose", "gave", "had", "said", "took", "made", "held", "knew", "thought", "found"}


def _lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    return lang


def quantity_key(count: int, base: int) -> str:
    """Which quantity word fits ``count`` of ``base``: one of QUANTITY_ORDER."""
    if not 0 <= count <= base or base < 1:
        raise ValueError(f"need 0 <= count <= base and base >= 1, got {count} of {base}")
    share = Fraction(count, base)
    if count == 0:
        return "none"
    if count == base:
        return "all"
    if share < FEW_BELOW:
        return "few"
    if share < MINORITY_BELOW:
        return "minority"
    if share == Fraction(1, 2):
        return "half"
    if share <= ABOUT_HALF_TO:
        return "about_half"
    if share < MOST_FROM:
        return "majority"
    return "most"


def quantity(count: int, base: int, lang: str = "en") -> str:
    """The quantity word itself: 'a majority', 'few', 'et flertal' ..."""
    return QUANTITY_WORDS[_lang(lang)][quantity_key(count, base)]


def pct(share: float, lang: str = "en", digits: int = 0) -> str:
    """A share as a percentage, rounded half away from zero ('13%' for 1/8, as official statistics round):
    '53%' in English, '53 %' (no-break space) in Danish; ``digits`` decimals."""
    from decimal import ROUND_HALF_UP, Decimal

    from babel.numbers import format_decimal

    sign = "\u00a0%" if _lang(lang) == "da" else "%"
    exact = Decimal(str(share)) * 100 if not isinstance(share, Fraction) else \
        Decimal(share.numerator) * 100 / Decimal(share.denominator)
    rounded = exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)  # ROUND_HALF_UP: away from zero
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(rounded, format=pattern, locale="da_DK" if lang == "da" else "en_GB") + sign


def singular(count: int) -> bool:
    """Whether a subject of ``count`` councils takes a singular verb ('no council has', 'one ... has')."""
    return count <= 1


def conjugate(phrase: str, count: int) -> str:
    """An English verb phrase in the number of its subject: ('have been', 1) -> 'has been'."""
    first, _, rest = phrase.partition(" ")
    past = first in PAST_TENSE or (first.endswith("ed") and not first.endswith("eed"))  # 'answered', not 'need'
    if singular(count) and not past:
        if first in IRREGULAR:
            first = IRREGULAR[first]
        elif first not in SINGULAR_ONLY and first not in ("did", "could", "can", "cannot", "will", "would", "may", "might",
                                                          "must", "should"):
            first = first + ("es" if first.endswith(("s", "sh", "ch", "x", "z", "o")) else "s")
    return f"{first} {rest}".strip()


def councils(count: int, lang: str = "en", noun: tuple[str, str] = ("council", "councils")) -> str:
    """'no council', '1 council', '21 councils' (Danish 'intet råd', '1 råd', '21 råd')."""
    if _lang(lang) == "da":
        return "intet råd" if count == 0 else f"{count} råd"
    if count == 0:
        return f"no {noun[0]}"
    return f"{count} {noun[0] if count == 1 else noun[1]}"


# How a sentence's subject names a number of the responding councils, with the base ('of the 30') and without.
SUBJECTS = {
    "en": {"none": ("no responding council", "no responding council"),
           "the_one": ("the one responding council", "the one responding council"),
           "all": ("all {base} responding councils", "all responding councils"),
           "one": ("one of the {base} responding councils", "one responding council"),
           "word": ("{word} of the {base} responding councils", "{word} of the responding councils")},
    "da": {"none": ("intet af de besvarende råd", "intet besvarende råd"),
           "the_one": ("det ene besvarende råd", "det ene besvarende råd"),
           "all": ("alle {base} besvarende råd", "alle besvarende råd"),
           "one": ("ét af de {base} besvarende råd", "ét besvarende råd"),
           "word": ("{word} af de {base} besvarende råd", "{word} af de besvarende råd")},
}


def subject(count: int, base: int, lang: str = "en", with_base: bool = True) -> str:
    """A sentence subject naming how many of the responding councils: 'a majority of the 30 responding councils'.

    Singular exactly when :func:`singular` says so: 'no responding council', 'one of the 30 ...',
    'the one responding council'.
    """
    key = quantity_key(count, base)
    form = ("none" if count == 0 else "the_one" if count == base == 1 else "all" if count == base
            else "one" if count == 1 else "word")
    template = SUBJECTS[_lang(lang)][form][0 if with_base else 1]
    return template.format(base=base, word=QUANTITY_WORDS[lang][key])


def join(items: list[str], lang: str = "en", conjunction: str | None = None, clauses: bool = False) -> str:
    """'a', 'a and b', 'a, b and c' (Danish 'og'; ``conjunction`` e.g. 'or' overrides).

    ``clauses=True`` when each item is a clause with its own subject and verb: a comma then stands
    before the conjunction too, as Danish requires between main clauses and as English writes
    independent clauses. Without it, Danish '12 råd svarer af og til og 1 råd svarer aldrig' reads
    as if one council answered both; with it, '12 råd svarer af og til, og 1 råd svarer aldrig'.
    Items that are only noun phrases ('beskæftigelse, uddannelse og sundhed') take no such comma.
    """
    word = conjunction or ("og" if _lang(lang) == "da" else "and")
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])}{',' if clauses else ''} {word} {items[-1]}"


# Quotation marks as each language's editors set them: Danish »…« (inner ›…‹), English “…” (inner ‘…’).
QUOTES = {"da": (("\u00bb", "\u00ab"), ("\u203a", "\u2039")), "en": (("\u201c", "\u201d"), ("\u2018", "\u2019"))}


def quote(label: str, lang: str = "en", inner: bool = False) -> str:
    """An answer label or a quoted phrase in the language's quotation marks: '»Andet«', '“Other”'.

    ``inner`` for a quotation inside a quotation ('›…‹', '‘…’'). Text the caller already put in
    quotation marks of either style is requoted, not quoted twice.
    """
    (opening, closing) = QUOTES[_lang(lang)][1 if inner else 0]
    text = label.strip()
    marks = {"\u00bb": "\u00ab", "\u201c": "\u201d", "\u203a": "\u2039", "\u2018": "\u2019", '"': '"'}
    if len(text) >= 2 and marks.get(text[0]) == text[-1]:
        text = text[1:-1]
    return f"{opening}{text}{closing}"


def capitalise(text: str) -> str:
    """First letter upper case, the rest untouched (names and digits keep their case)."""
    return text[:1].upper() + text[1:]


def comparison_key(first: int, second: int) -> str:
    """'more', 'fewer' or 'as_many': how ``first`` compares with ``second``."""
    return "more" if first > second else "fewer" if first < second else "as_many"


COMPARISON_WORDS = {"en": {"more": "more", "fewer": "fewer", "as_many": "as many"},
                    "da": {"more": "flere", "fewer": "færre", "as_many": "lige så mange"}}


def ranked(items: list[tuple[str, int]]) -> list[list[tuple[str, int]]]:
    """Items grouped by count, largest first; ties share a group and keep their given order."""
    groups: dict[int, list[tuple[str, int]]] = {}
    for name, count in items:
        groups.setdefault(count, []).append((name, count))
    return [groups[c] for c in sorted(groups, reverse=True)]


def adds_up(shown: int, rest: int, base: int) -> bool:
    """Whether 'the other N' may be said: the shown count and the rest together make the base."""
    return shown + rest == base


# Change between rounds: a change is called a rise or a fall only when it is beyond chance (see
# councils.tables.comparison_table: an exact finite-population interval and a Holm adjustment).
CHANGE_WORDS = {"en": {"rose": "rose", "fell": "fell", "no_change": "showed no change beyond chance"},
                "da": {"rose": "steg", "fell": "faldt", "no_change": "ændrede sig ikke ud over tilfældighed"}}


def change_key(change: float, beyond_chance: bool) -> str:
    """'rose', 'fell' or 'no_change': a direction is named only for a change beyond chance."""
    if not beyond_chance or change == 0:
        return "no_change"
    return "rose" if change > 0 else "fell"


@dataclass(frozen=True)
class Said:
    """One use of a number in a sentence: which count, how it was put, and the words it gave."""

    ref: str  # "<question>.<category>", or "round.<field>" for the round's metadata
    count: int
    base: int | None
    spec: str
    text: str


@dataclass
class Record:
    """Everything a sentence said about numbers, in order; attached to each Count of one sentence."""

    said: list[Said] = field(default_factory=list)


@dataclass(frozen=True)
class Count:
    """A count that formats itself in a template (see the module docstring for the specs)."""

    count: int
    base: int | None = None
    ref: str = ""
    lang: str = "en"
    record: Record | None = field(default=None, compare=False)

    def __format__(self, spec: str) -> str:
        text = self._words(spec)
        if self.record is not None:
            self.record.said.append(Said(self.ref, self.count, self.base, spec, text))
        return text

    def _words(self, spec: str) -> str:
        n, base, lang = self.count, self.base, self.lang
        if spec == "":
            return str(n)
        if spec in ("of", "ofs", "np", "pct", "paren", "Q", "q", "S", "s") and base is None:
            raise ValueError(f"'{spec}' needs the base of {self.ref or 'the count'}")
        if spec == "of":
            return f"{n} {'af' if lang == 'da' else 'of'} {base}"
        if spec == "ofs":  # as a subject: '16 of 30', 'none of the 30'
            if n == 0:
                return f"ingen af de {base}" if lang == "da" else f"none of the {base}"
            return f"{n} {'af' if lang == 'da' else 'of'} {base}"
        if spec == "np":  # a later subject in the same sentence: '20 (67%)', 'none'
            return ("ingen" if lang == "da" else "none") if n == 0 else f"{n} ({pct(n / base, lang)})"
        if spec == "pct":
            return pct(n / base, lang)
        if spec == "paren":  # ' (21, 70%)'; nothing for none or all, which the subject already says
            return "" if n in (0, base) else f" ({n}, {pct(n / base, lang)})"
        if spec in ("Q", "q", "S", "s"):
            text = subject(n, base, lang, with_base=spec in ("Q", "q"))
            return capitalise(text) if spec.isupper() else text
        if spec in ("councils", "Councils"):
            text = councils(n, lang)
            return capitalise(text) if spec[0].isupper() else text
        if spec in ("their", "its"):
            return ("dets" if singular(n) else "deres") if lang == "da" else ("its" if singular(n) else "their")
        if spec == "they":
            return ("det" if singular(n) else "de") if lang == "da" else ("it" if singular(n) else "they")
        if lang == "da":  # Danish verbs do not agree in number
            return spec
        return conjugate(spec, n)


def shares_and_change(previous: float, current: float, lang: str = "en") -> tuple[str, str, str]:
    """Both shares, rounded half away from zero, and the change in points computed from the unrounded shares.

    A change that would read as 0 gets a decimal ('−0.4'); no change at all reads '±0' (councils.statistics).
    """
    from fractions import Fraction as _F

    from councils.statistics import format_change, format_share

    p, c = _F(previous).limit_denominator(10**9), _F(current).limit_denominator(10**9)
    return format_share(p, lang), format_share(c, lang), format_change(c - p, lang)
