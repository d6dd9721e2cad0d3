"""_errors.py — the two kinds of failure, as in jlc.h rule 2: a Julia
exception (JuliaError) and a jlc error status (JlcError), both under Error,
and the Status enum naming every jlc_status."""
import enum

from . import _capi

Status = enum.IntEnum("Status", [(n, i) for i, n in enumerate(_capi.STATUS_NAMES)])
Status.__doc__ = """Every jlc_status: Status.OK is JLC_OK (0), Status.ERR_STALE is
JLC_ERR_STALE, and so on (jlc.h, JLC_STATUS_MAP)."""


class Error(Exception):
    """Base class of every failure jlc reports."""


class JlcError(Error):
    """A jlc error: a status other than JLC_OK and JLC_EXCEPTION (a stale
    handle, a wrong type, a lossy conversion, a borrow conflict, a wrong
    thread...). Nothing in Julia ran, or it ran and jlc refused the result.

    status: the Status (e.g. Status.ERR_STALE).
    status_name: its C name ("JLC_ERR_STALE").
    message: jlc_last_error() at the time, or the package's own text."""

    def __init__(self, status, message):
        self.status = Status(status)
        self.status_name = "JLC_" + self.status.name
        self.message = message
        super().__init__("%s: %s" % (self.status_name, message))


class JuliaError(Error):
    """A Julia exception (status JLC_EXCEPTION).

    type_name: the exception's short type name ("BoundsError").
    message: jlc_last_error(), "Type: message" as Julia's showerror renders
      it ("BoundsError: attempt to access 2-element Array{Int64,1} at
      index [5]").
    value: the exception as a Value of the scope the failing call was
      given; like every Value, stale once that scope closes."""

    def __init__(self, type_name, message, value):
        self.type_name = type_name
        self.message = message
        self.value = value
        super().__init__(message)
