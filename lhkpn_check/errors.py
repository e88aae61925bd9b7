"""Domain errors. The CLI turns them into one plain message and exit code 2."""

from __future__ import annotations


class LhkpnError(Exception):
    """Base of every error the user can act on (never a bug)."""


class InputError(LhkpnError):
    """Input that cannot be used at all: names the place and the fix.

    >>> str(InputError("kolom wajib tidak ada", file="a.xlsx", sheet="laporan", column="id_pn",
    ...                fix="tambahkan kolom id_pn"))
    "a.xlsx, sheet 'laporan', kolom 'id_pn': kolom wajib tidak ada. tambahkan kolom id_pn"
    """

    def __init__(self, problem: str, *, file=None, sheet=None, row=None, column=None, fix=None):
        self.problem, self.file, self.sheet, self.row, self.column, self.fix = (
            problem, file, sheet, row, column, fix)
        super().__init__(str(self))

    def place(self) -> str:
        parts = []
        if self.file:
            parts.append(str(self.file))
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"baris {self.row}")
        if self.column:
            parts.append(f"kolom '{self.column}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        place = self.place()
        text = f"{place}: {self.problem}" if place else self.problem
        if self.fix:
            text = f"{text.rstrip('.')}. {self.fix}"
        return text


class ConfigError(InputError):
    """A configuration file or option that cannot be used."""


class OutputError(LhkpnError):
    """The output folder cannot be written as asked (e.g. not empty without --force)."""


class RegisterError(LhkpnError):
    """The case register cannot be used as asked: not a register, corrupted, from a newer version, busy, or
    a review that names an unknown official or status. Always names the file."""
