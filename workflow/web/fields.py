"""Form fields and filters shared by every form.

``GovDecimalField`` is a number box whose message names its field and shows an example
("Enter the baseline value as a number, like 55.3"), never WTForms' "Not a valid decimal
value."; given the column it is stored in, it refuses what the column cannot hold, before
the database would. ``GovDateField`` implements the GOV.UK "date input" pattern: three boxes named
``<name>-day``, ``<name>-month`` and ``<name>-year``, with the error messages
from the GOV.UK Design System's guidance on dates. ``strip_filter`` tidies free
text before it is validated or stored.

Nothing here raises on hostile input: unexpected values become validation
errors, never exceptions.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal

from werkzeug.datastructures import MultiDict
from wtforms.fields import DecimalField, Field
from wtforms.utils import unset_value
from wtforms.validators import DataRequired, InputRequired, StopValidation
from wtforms.widgets import TextInput

__all__ = ["DATE_PARTS", "GovDateField", "GovDecimalField", "iso_dates_as_parts", "strip_filter"]

DATE_PARTS = ("day", "month", "year")

# C0 control characters (and DEL) except tab (\x09) and newline (\x0a).
# Carriage returns are turned into newlines before this runs.
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_ASCII_DIGITS = re.compile("[0-9]+")

# The longest value kept for showing back to the user in a date box.
_MAX_SHOWN = 40
# Longer than this cannot be a day, month or year (leading zeros allowed).
_MAX_DIGITS = 8

_MONTH_NAMES = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}


def strip_filter(value):
    """Strip surrounding whitespace and remove control characters from text.

    Line endings become ``\\n``; NUL and the other C0 control characters (and
    DEL) are removed, except tab and newline. Non-strings (``None``, numbers)
    are returned unchanged, so it is safe as ``filters=[strip_filter]`` on any
    StringField or TextAreaField.
    """
    if not isinstance(value, str):
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_CHARACTERS.sub("", value).strip()


def _clean_part(value) -> str:
    """A submitted date part as a tidy string ('' if missing or not text)."""
    if not isinstance(value, str):
        return ""
    return _CONTROL_CHARACTERS.sub("", value.replace("\r", "").replace("\n", "")).strip()


def _sentence_start(text: str) -> str:
    """'Start date' -> 'start date', but 'DfE review date' and 'LADO date' stay."""
    first_word = text.split(" ", 1)[0]
    if any(character.isupper() for character in first_word[1:]):
        return text
    return text[:1].lower() + text[1:]


def _sentence_capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _join(parts: list[str]) -> str:
    return " and ".join(parts) if len(parts) < 3 else ", ".join(parts[:-1]) + " and " + parts[-1]


class GovDecimalField(DecimalField):
    """A decimal number; a word, "12,5", "NaN" or "sNaN" gets a message naming the field.
    ``called`` is how messages speak of it (default: the label, lower-cased), and ``example``
    a number of the kind expected. ``numeric`` is the ``sa.Numeric(precision, scale)`` of the
    column the value goes into: a number with more decimal places, or more digits before the
    point, than it holds is refused with a message saying what fits."""

    def __init__(
        self, label=None, validators=None, *, called=None, example="10", numeric=None, **kwargs
    ):
        super().__init__(label, validators, places=None, **kwargs)
        self.name_in_messages = called
        self.example = example
        self.numeric = numeric

    @property
    def called(self) -> str:
        return self.name_in_messages or _sentence_start(self.label.text)

    @property
    def number_message(self) -> str:
        return f"Enter {self.called} as a number, like {self.example}"

    def process_formdata(self, valuelist):
        # The message is written at validation, when the form has named the field (a form
        # may name its rows after building them, as the update form does for measures).
        self.not_a_number = False
        if not valuelist or not valuelist[0].strip():
            self.data = None  # left empty: for Optional() or InputRequired() to judge
            return
        try:
            super().process_formdata([value.strip() for value in valuelist[:1]])
        except ValueError:
            self.not_a_number = True
        # NaN, sNaN and Infinity are Decimals, but no number: a signalling NaN would even
        # raise when compared with a limit.
        if isinstance(self.data, Decimal) and not self.data.is_finite():
            self.not_a_number = True
        if self.not_a_number:
            self.data = None

    def pre_validate(self, form):
        if getattr(self, "not_a_number", False):
            raise StopValidation(self.number_message)
        if self.numeric is not None and self.data is not None:
            self._check_fits(self.data)

    def _check_fits(self, value: Decimal) -> None:
        places, digits = self.numeric.scale, self.numeric.precision - self.numeric.scale
        largest = Decimal(10) ** digits - Decimal(10) ** -places
        if abs(value) > largest:
            raise StopValidation(
                f"{_sentence_capital(self.called)} must be between {-largest:,f} and {largest:,f}"
            )
        if value != value.quantize(Decimal(10) ** -places):
            raise StopValidation(
                f"{_sentence_capital(self.called)} must have {places} decimal places or fewer"
            )

    def _value(self):
        """What was typed, or the saved number without the column's trailing zeros."""
        if self.raw_data:
            return self.raw_data[0]
        if isinstance(self.data, Decimal):
            return f"{self.data.normalize():f}"
        return "" if self.data is None else str(self.data)


class GovDateField(Field):
    """A date entered as day, month and year boxes (the GOV.UK date input).

    Reads ``<name>-day``, ``<name>-month`` and ``<name>-year`` from the form
    data. After processing:

    * ``field.day``, ``field.month``, ``field.year`` hold the strings to show in
      the three boxes (what the user typed, or the parts of the object's date);
    * ``field.data`` is a ``datetime.date``, or ``None`` when nothing or
      something invalid was entered;
    * ``field.error_parts`` is the set of parts (``"day"``, ``"month"``,
      ``"year"``) to highlight; empty when the error is about the whole date.

    Required-ness comes from ``validators=[InputRequired()]`` (or
    ``DataRequired()``), or from ``required=True``: an empty date then gets
    "Enter <label>" unless the validator was given its own message. With
    ``Optional()`` or no such validator, an empty date is ``None`` and valid.
    """

    widget = TextInput()  # only used if rendered with field(); use the macro
    _submitted: dict[str, str] | None = None

    def __init__(
        self,
        label=None,
        validators=None,
        *,
        required: bool = False,
        min_year: int = 1990,
        max_year: int = 2100,
        **kwargs,
    ):
        super().__init__(label, validators, **kwargs)
        self.required = required
        self.min_year = min_year
        self.max_year = max_year
        self.day = ""
        self.month = ""
        self.year = ""
        self.error_parts: set[str] = set()
        self._parse_error: str | None = None
        self.validators = [self._with_enter_message(v) for v in self.validators]
        if required:
            self.flags.required = True

    # -- messages -----------------------------------------------------------

    @property
    def _label_text(self) -> str:
        return self.label.text if self.label and self.label.text else "Date"

    @property
    def enter_message(self) -> str:
        return f"Enter {_sentence_start(self._label_text)}"

    def _with_enter_message(self, validator):
        """InputRequired()/DataRequired() without a message say 'Enter <label>'."""
        if type(validator) in (InputRequired, DataRequired) and validator.message is None:
            validator = copy.copy(validator)
            validator.message = self.enter_message
        return validator

    # -- processing ---------------------------------------------------------

    @property
    def parts(self) -> dict[str, str]:
        return {"day": self.day, "month": self.month, "year": self.year}

    def part_name(self, part: str) -> str:
        return f"{self.name}-{part}"

    def part_id(self, part: str) -> str:
        return f"{self.id}-{part}"

    def process(self, formdata, data=unset_value, extra_filters=None, **kwargs):
        self.error_parts = set()
        self._parse_error = None
        self._submitted = None
        if formdata is not None:
            submitted = {}
            for part in DATE_PARTS:
                try:
                    value = formdata.get(self.part_name(part))
                except Exception:  # a formdata object that misbehaves
                    value = None
                submitted[part] = value if isinstance(value, str) else ""
            self._submitted = submitted
        super().process(formdata, data, extra_filters=extra_filters, **kwargs)

    def process_data(self, value):
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            self.data = value
            self.day, self.month, self.year = str(value.day), str(value.month), str(value.year)
        else:
            self.data = None
            self.day = self.month = self.year = ""

    def process_formdata(self, valuelist):
        # The three boxes are posted under their own names, never under
        # self.name: whatever arrived under self.name is ignored.
        submitted = self._submitted or {part: "" for part in DATE_PARTS}
        cleaned = {part: _clean_part(submitted[part]) for part in DATE_PARTS}
        self.day, self.month, self.year = (cleaned[p][:_MAX_SHOWN] for p in DATE_PARTS)
        entered = [part for part in DATE_PARTS if cleaned[part]]
        # What InputRequired and Optional look at: non-empty only if typed.
        self.raw_data = [" ".join(cleaned[p] for p in DATE_PARTS)] if entered else []
        self.data = None
        if entered:
            self.data, self._parse_error, self.error_parts = self._parse(cleaned)

    def _parse(self, parts: dict[str, str]) -> tuple[date | None, str | None, set[str]]:
        label = self._label_text
        missing = [part for part in DATE_PARTS if not parts[part]]
        if missing:
            return None, f"{label} must include a {_join(missing)}", set(missing)

        day = _to_int(parts["day"])
        month = _to_month(parts["month"])
        year = _to_int(parts["year"])
        bad = set()
        if day is None or not 1 <= day <= 31:
            bad.add("day")
        if month is None or not 1 <= month <= 12:
            bad.add("month")
        if year is None:
            bad.add("year")
        if bad:
            return None, f"{label} must be a real date", bad

        if len(unicodedata.normalize("NFKC", parts["year"])) != 4:
            return None, "Year must include 4 numbers", {"year"}
        if year < self.min_year:
            return None, f"{label} must be in or after {self.min_year}", {"year"}
        if year > self.max_year:
            return None, f"{label} must be in or before {self.max_year}", {"year"}
        try:
            value = date(year, month, day)
        except ValueError:  # for example 30 February, or 31 April
            return None, f"{label} must be a real date", {"day"}
        return value, None, set()

    # -- validation ---------------------------------------------------------

    def pre_validate(self, form):
        if self._parse_error:
            raise StopValidation(self._parse_error)
        if self.required and not self.raw_data and self.data is None:
            self.errors[:] = []
            raise StopValidation(self.enter_message)

    def _value(self):
        return " ".join(part for part in (self.day, self.month, self.year) if part)


def iso_dates_as_parts(formdata, names: tuple[str, ...]) -> MultiDict:
    """Dates written as in a link (``since=2022-01-31``) turned into the three boxes a
    GovDateField reads (``since-day``, ``since-month``, ``since-year``), so that a link's
    dates are checked exactly as typed ones are: the same years, the same real dates, the
    same messages. Boxes sent as boxes are kept as they are."""
    data = MultiDict(formdata)
    for name in names:
        text = data.get(name)
        if not isinstance(text, str) or any(f"{name}-{part}" in data for part in DATE_PARTS):
            continue
        year, _, rest = text.partition("-")
        month, _, day = rest.partition("-")
        for part, value in zip(DATE_PARTS, (day, month, year), strict=True):
            data[f"{name}-{part}"] = value
    return data


def _to_int(text: str) -> int | None:
    """ASCII (or full-width) digits only: no signs, spaces, decimals or exponents."""
    text = unicodedata.normalize("NFKC", text)
    if len(text) > _MAX_DIGITS or not _ASCII_DIGITS.fullmatch(text):
        return None
    return int(text)


def _to_month(text: str) -> int | None:
    """A month number, or a month name or abbreviation ('Jan', 'january')."""
    number = _to_int(text)
    if number is not None:
        return number
    return _MONTH_NAMES.get(unicodedata.normalize("NFKC", text).strip(".").lower())
