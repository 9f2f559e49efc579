//! The compile pipeline: source adapters, joins and classification (see the CLI's `build`).
