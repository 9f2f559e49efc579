//! System tests: the real `ipfirm-server` binary on a loopback port (one test binary, several modules).

mod common;
mod e2e;
mod privacy;
mod reload;
