//! Source adapters: one file per input format, each streaming records with `file:line` errors.
