"""Personal data shared by every area: resident ID numbers, phones, masking, pinyin.

Members, ticket applicants and petitioners all pass through here, so validation and masking
are the same everywhere.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from ledger.errors import ValidationError

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def id_check_char(first17: str) -> str:
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


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
    if not re.fullmatch(r"\d{17}[\dX]", text):
        raise ValidationError(field, "error.id_format", label=label)
    try:
        dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        raise ValidationError(field, "error.id_birth_date", label=label) from None
    if id_check_char(text[:17]) != text[17]:
        raise ValidationError(field, "error.id_checksum", label=label)
    return text


def birth_date_from_id(id_number: str) -> dt.date:
    return dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def gender_from_id(id_number: str) -> str:
    return "male" if int(id_number[16]) % 2 else "female"


def normalise_phone(value: str | None, field: str = "phone", *,
                    label: str | None = None) -> str:
    """Digits kept as text (a leading zero matters); mobile or landline with area code."""
    if value is None:
        return ""
    text = re.sub(r"[\s\-()]", "", str(value))
    if not text:
        return ""
    if text.startswith("+86"):
        text = text[3:]
    if not re.fullmatch(r"1[3-9]\d{9}|0\d{9,11}|\d{7,8}", text):
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


@functools.lru_cache(maxsize=65536)  # names repeat; a batch import asks for thousands
def pinyin_keys(name: str) -> tuple[str, str]:
    """(initials, full pinyin) of a name: 许少伟 -> ("xsw", "xushaowei"), cut to the
    columns' sizes (60 and 200): searches match their start, and a long name must store."""
    from pypinyin import Style, lazy_pinyin

    initials = "".join(p[0] for p in lazy_pinyin(name, style=Style.FIRST_LETTER) if p)
    full = "".join(lazy_pinyin(name, style=Style.NORMAL))
    return initials.lower()[:PINYIN_INITIALS_MAX], full.lower()[:PINYIN_FULL_MAX]


def search_terms(text: str) -> str:
    """The normalised form of a search box's text."""
    return text.strip().lower()
