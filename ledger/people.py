"""Personal data shared by every area: resident ID numbers, phones, masking, pinyin.

Members, ticket applicants and petitioners all pass through here, so validation and masking
are the same everywhere.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from operator import mul

from ledger.errors import ValidationError

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
# Compiled once: a batch import checks every row's ID number and phone.
_ID_FORMAT = re.compile(r"\d{17}[\dX]")
_PHONE_NOISE = re.compile(r"[\s\-()]")
_PHONE_FORMAT = re.compile(r"1[3-9]\d{9}|0\d{9,11}|\d{7,8}")


def id_check_char(first17: str) -> str:
    if len(first17) != len(_WEIGHTS):
        raise ValueError("an ID number's check character covers 17 digits")
    return _CHECK[sum(map(mul, map(int, first17), _WEIGHTS)) % 11]


def normalise_id_number(value: str | None, field: str = "id_number", *,
                        label: str | None = None) -> str | None:
    """A valid 18-digit resident ID (GB 11643), upper-cased, or None for blank.

    Raises ``ValidationError`` naming ``field`` on a wrong length, date or checksum.
    """
    if value is None:
        return None
    text = value.strip().upper().replace(" ", "")
    if not text:
        return None
    problem = _id_problem(text)
    if problem:
        raise ValidationError(field, problem, label=label)
    return text


# A batch import reads each row's ID number twice (its key, then its record's validator).
@functools.lru_cache(maxsize=2048)
def _id_problem(text: str) -> str:
    """The error key of an ID number's text, "" when it is valid."""
    if not _ID_FORMAT.fullmatch(text):
        return "error.id_format"
    try:
        dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return "error.id_birth_date"
    if id_check_char(text[:17]) != text[17]:
        return "error.id_checksum"
    return ""


def birth_date_from_id(id_number: str) -> dt.date:
    return dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def gender_from_id(id_number: str) -> str:
    return "male" if int(id_number[16]) % 2 else "female"


def normalise_phone(value: str | None, field: str = "phone", *,
                    label: str | None = None) -> str:
    """Digits kept as text (a leading zero matters); mobile or landline with area code."""
    if value is None:
        return ""
    text = str(value)
    if not text.isascii() or not text.isdigit():  # digits only, as most are: nothing to strip
        text = _PHONE_NOISE.sub("", text)
    if not text:
        return ""
    if text.startswith("+86"):
        text = text[3:]
    if not _PHONE_FORMAT.fullmatch(text):
        raise ValidationError(field, "error.phone_format", label=label, value=value)
    return text


def mask_id_number(value: str | None) -> str:
    """``110101199003071234`` -> ``1101**********1234``."""
    if not value:
        return ""
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    if len(value) <= 7:
        return value[:2] + "*" * (len(value) - 4) + value[-2:]
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


PINYIN_INITIALS_MAX, PINYIN_FULL_MAX = 60, 200


# pypinyin copies its dictionaries on import unless told not to; we never change them (no
# ``load_phrases_dict``), so the copy is memory for nothing.
os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")


# Names repeat: a batch import asks for the same ones again and again. The cache is bounded
# (about 250 bytes an entry) so a file of all-different names does not grow the process.
@functools.lru_cache(maxsize=16384)
def pinyin_keys(name: str) -> tuple[str, str]:
    """(initials, full pinyin) of a name: 许少伟 -> ("xsw", "xushaowei"), cut to the
    columns' sizes (60 and 200): searches match their start, and a long name must store.

    Exactly pypinyin's ``lazy_pinyin(name, style=NORMAL)``, made cheap: pypinyin cuts the
    text into words (its phrase dictionary decides, 重庆 is one word) and converts each word
    on its own, so the words' conversions are cached (a surname or a given name's character
    recurs across thousands of names). The initials are the first letter of each word's
    toneless pinyin, which is what pypinyin's first-letter style gives; text without pinyin is
    kept as given in both.
    """
    parts: list[str] = []
    for word in _pinyin_words(name):
        parts.extend(_word_pinyin(word))
    initials = "".join(p[0] for p in parts if p)
    full = "".join(parts)
    return initials.lower()[:PINYIN_INITIALS_MAX], full.lower()[:PINYIN_FULL_MAX]


def _pinyin_words(name: str) -> list[str]:
    from pypinyin.seg.simpleseg import seg  # the segmentation lazy_pinyin itself applies

    return list(seg(name))


@functools.lru_cache(maxsize=8192)  # the words of names: characters and a few phrases
def _word_pinyin(word: str) -> tuple[str, ...]:
    from pypinyin import Style, lazy_pinyin

    return tuple(lazy_pinyin(word, style=Style.NORMAL))


def search_terms(text: str) -> str:
    """The normalised form of a search box's text."""
    return text.strip().lower()
