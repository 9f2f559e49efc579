"""ipfirm — IP addresses to companies, honestly.

>>> import ipfirm
>>> with ipfirm.Database("ipfirm.db") as db:           # doctest: +SKIP
...     m = db.lookup("198.51.100.42")
...     if m is not None and m.identified:
...         print(m.company.name, m.company.registry)

See ``Database`` for lookups (single, batched, columnar), ``build`` to compile a database
from a TOML config and ``import_mmdb`` to convert a MaxMind DB file. All logic lives in the
Rust core crate; this package is a thin binding.
"""

from ipfirm._errors import (
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
)
from ipfirm._ipfirm import (
    CLASS_NAMES,
    FORMAT_VERSION,
    NO_COMPANY,
    NO_MATCH,
    SHOWN_CLASSES,
    Company,
    Database,
    Match,
    Network,
    RangeIterator,
    Registry,
    Source,
    __version__,
    build,
    import_mmdb,
)

__all__ = [
    "CLASS_NAMES",
    "FORMAT_VERSION",
    "NO_COMPANY",
    "NO_MATCH",
    "SHOWN_CLASSES",
    "ClosedError",
    "Company",
    "ConfigError",
    "CorruptDatabaseError",
    "Database",
    "Error",
    "InvalidDatabaseError",
    "InvalidInputError",
    "IoError",
    "Match",
    "MmdbError",
    "Network",
    "NotADatabaseError",
    "RangeIterator",
    "Registry",
    "Source",
    "SourceError",
    "UnsupportedVersionError",
    "__version__",
    "build",
    "import_mmdb",
]
