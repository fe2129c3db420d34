"""The supplier check's form: a list pasted, or a CSV file chosen."""

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import TextAreaField
from wtforms.validators import Length, Optional, StopValidation

from tracker.companies.properties import decoded
from tracker.directory.supplier_check import supplier_list
from tracker.directory.supplier_check.supplier_list import MAX_SUPPLIERS, MAX_TEXT, Supplier
from tracker.formutils import BaseForm

LINES_NAMED = 5  # line numbers a message lists before "and N more"


def _lines_message(numbers: list[int]) -> str:
    shown = ", ".join(str(number) for number in numbers[:LINES_NAMED])
    more = len(numbers) - LINES_NAMED
    if more > 0:
        shown = _("%(lines)s and %(more)d more", lines=shown, more=more)
    return ngettext(
        "Line %(lines)s holds invisible control or formatting characters: remove them.",
        "Lines %(lines)s hold invisible control or formatting characters: remove them.",
        len(numbers),
        lines=shown,
    )


def visible_lines(form, field) -> None:
    """Name the lines with invisible characters (BaseForm's own check would not say where).

    The refused text comes back with each of them as "�": the person sees where they were,
    and the page stays valid HTML (a NUL may not be in it at all)."""
    bad = supplier_list.invisible_lines(field.data or "")
    if bad:
        field.data = supplier_list.shown(field.data)
        raise StopValidation(_lines_message(bad))


def _without_bom(value):
    return value.lstrip("\ufeff") if isinstance(value, str) else value


class SupplierCheckForm(BaseForm):
    suppliers = TextAreaField(
        _l("Your suppliers"),
        filters=[_without_bom],
        validators=[
            Optional(),
            Length(max=MAX_TEXT, message=_l("This is more than 1,000 lines can hold.")),
            visible_lines,
        ],
        description=_l(
            "One supplier per line: its name, and if you have them its country and membership "
            "number, separated by commas or tabs (as copied from a spreadsheet)."
        ),
        render_kw={"rows": 10, "spellcheck": "false", "autocomplete": "off"},
    )
    file = FileField(
        _l("Or choose a CSV file"),
        description=_l("UTF-8 or Windows spreadsheet CSV, up to 1,000 lines."),
        render_kw={"accept": ".csv,.txt,text/csv,text/plain"},
    )

    def has_file(self) -> bool:
        return bool(self.file.data and getattr(self.file.data, "filename", ""))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Not a validator of `suppliers`: Optional() ends its chain when it is empty.
        if not (self.suppliers.data or "").strip() and not self.has_file():
            self.suppliers.errors = [*self.suppliers.errors, _("Paste your list or choose a file.")]
            return False
        return valid

    def read(self) -> list[Supplier] | None:
        """The suppliers, from the file if one was chosen (its text then fills the box, for the
        download and the next check), else as pasted; None with errors on the form if there
        are none to check or more than 1,000."""
        suppliers = self._from_file() if self.has_file() else self._from_text()
        if suppliers is None:
            return None
        if not suppliers:
            self._field().errors = [_("There is no supplier in this list.")]
            return None
        if len(suppliers) > MAX_SUPPLIERS:
            message = _(
                "The list has %(count)s lines; check at most %(max)s at a time. Nothing was "
                "checked.",
                count=format_decimal(len(suppliers)),
                max=format_decimal(MAX_SUPPLIERS),
            )
            self._field().errors = [message]
            return None
        return suppliers

    def _field(self):
        return self.file if self.has_file() else self.suppliers

    def _from_text(self) -> list[Supplier]:
        return supplier_list.from_text(self.suppliers.data or "")

    def _from_file(self) -> list[Supplier] | None:
        data = self.file.data.read(MAX_TEXT + 1)
        text = decoded(data)
        if text is None:
            self.file.errors = [_("This is not a CSV file: save it as CSV (UTF-8) and try again.")]
            return None
        if len(data) > MAX_TEXT:
            self.file.errors = [_("This file is more than 1,000 lines can hold.")]
            return None
        bad = supplier_list.invisible_lines(text)
        if bad:
            self.file.errors = [_lines_message(bad)]
            return None
        suppliers = supplier_list.from_csv(text)
        if suppliers is None:
            self.file.errors = [_("This is not a CSV file we can read.")]
            return None
        self.suppliers.data = text.lstrip("\ufeff")
        return suppliers
