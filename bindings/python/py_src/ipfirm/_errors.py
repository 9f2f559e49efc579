"""The exception classes of ipfirm, one per variant of the core ``ipfirm::Error``.

They are defined in Python so that, for example, ``IoError`` can be both an
``ipfirm.Error`` and an ``OSError``. The native module raises them with their attributes
filled in. Messages never contain a looked-up address.
"""

from __future__ import annotations

from typing import Optional


class Error(Exception):
    """Base class of every error ipfirm raises (besides ``ValueError``/``TypeError`` for a
    bad argument). ``str(e)`` is the full message; ``e.path`` the file concerned, if any."""

    def __init__(self, message: str, *, path: Optional[str] = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return self.message


class InvalidDatabaseError(Error):
    """The file is not a usable ipfirm database (base of the three errors below)."""


class NotADatabaseError(InvalidDatabaseError):
    """The bytes do not start with the ipfirm magic: this is not an ipfirm database."""


class UnsupportedVersionError(InvalidDatabaseError):
    """The database was written in a format version this build cannot read.

    ``found`` is the file's version, ``supported`` the one this build reads."""

    def __init__(self, message: str, *, path: Optional[str] = None, found: int = 0, supported: int = 0) -> None:
        super().__init__(message, path=path)
        self.found = found
        self.supported = supported


class CorruptDatabaseError(InvalidDatabaseError):
    """The database is damaged; ``offset`` is the byte offset where it was found (0 when
    unknown)."""

    def __init__(self, message: str, *, path: Optional[str] = None, offset: int = 0) -> None:
        super().__init__(message, path=path)
        self.offset = offset


class SourceError(Error):
    """An input data file of a build is wrong: ``path`` and 1-based ``line`` (0 when the
    file is not line-oriented) say where."""

    def __init__(self, message: str, *, path: Optional[str] = None, line: int = 0) -> None:
        super().__init__(message, path=path)
        self.line = line


class ConfigError(Error):
    """A build configuration file is invalid (``path`` names it)."""


class MmdbError(Error):
    """A MaxMind DB file could not be read (``path`` names it)."""


class InvalidInputError(Error, ValueError):
    """Invalid builder input (e.g. a range that ends before it starts)."""


class IoError(Error, OSError):
    """An operating-system error reading or writing ``path``; also an ``OSError`` with
    ``errno`` and ``filename`` set."""

    def __init__(self, message: str, *, path: Optional[str] = None, errno: Optional[int] = None) -> None:
        super().__init__(message, path=path)
        self.errno = errno
        self.strerror = message
        self.filename = path

    def __str__(self) -> str:
        return self.message


class ClosedError(Error, ValueError):
    """The ``Database`` was closed (like I/O on a closed file, also a ``ValueError``)."""


__all__ = [
    "ClosedError",
    "ConfigError",
    "CorruptDatabaseError",
    "Error",
    "InvalidDatabaseError",
    "InvalidInputError",
    "IoError",
    "MmdbError",
    "NotADatabaseError",
    "SourceError",
    "UnsupportedVersionError",
]

# Shown as `ipfirm.IoError` etc. in tracebacks: the public name, not this private module.
for _cls in (
    ClosedError,
    ConfigError,
    CorruptDatabaseError,
    Error,
    InvalidDatabaseError,
    InvalidInputError,
    IoError,
    MmdbError,
    NotADatabaseError,
    SourceError,
    UnsupportedVersionError,
):
    _cls.__module__ = "ipfirm"
del _cls
