"""Phone numbers in contacts: country/city/number and their `formatted` form.

The docs: give either the whole number in `formatted` (spaces, brackets and hyphens
allowed) or all of `country`, `city` and `number` (digits only); when both are given the
separate fields win. The server stores both forms. Splitting a `formatted`-only number
follows one simple rule, in this order:
  1. "+7 (999) 123-45-67": country before the bracket, city inside it, number after it;
  2. "7 999 1234567" (three or more digit groups): country, city, then the rest;
  3. eleven digits starting with 7 or 8: country 7, a three-digit city, seven digits.
Anything else cannot be split and is rejected.
"""

from __future__ import annotations

import re
from typing import Any

PHONE_PARTS = ("country", "city", "number")
FORMATTED_CHARACTERS = re.compile(r"^[\d\s()+\-]+$")


def split_formatted(formatted: str) -> tuple[str, str, str] | None:
    if not FORMATTED_CHARACTERS.match(formatted):
        return None
    bracketed = re.fullmatch(r"\s*\+?\s*(\d+)\s*\((\d+)\)\s*([\d\s\-]+)", formatted)
    if bracketed:
        country, city, rest = bracketed.groups()
        return country, city, re.sub(r"\D", "", rest)
    groups = re.findall(r"\d+", formatted)
    if len(groups) >= 3:
        return groups[0], groups[1], "".join(groups[2:])
    digits = "".join(groups)
    if len(digits) == 11 and digits[0] in "78":
        return "7", digits[1:4], digits[4:]
    return None


def group_number(number: str) -> str:
    """1234567 -> 123-45-67: two pairs of digits at the end, the rest in front."""
    if len(number) <= 4:
        return number
    return f"{number[:-4]}-{number[-4:-2]}-{number[-2:]}"


def format_phone(country: str, city: str, number: str) -> str:
    return f"+{country} ({city}) {group_number(number)}"


def has_all_parts(value: dict[str, Any]) -> bool:
    return all(isinstance(value.get(part), str) and value[part] for part in PHONE_PARTS)


def normalise_phone(value: dict[str, Any]) -> dict[str, str]:
    """The stored form of a valid phone value (see rules.phone_errors)."""
    if has_all_parts(value):
        country, city, number = (value[part] for part in PHONE_PARTS)
    else:
        parts = split_formatted(value["formatted"])
        assert parts is not None, "validated before saving"
        country, city, number = parts
    return {
        "country": country,
        "city": city,
        "number": number,
        "formatted": format_phone(country, city, number),
    }
