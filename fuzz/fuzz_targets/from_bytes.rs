#![no_main]
//! See `ipfirm_fuzz::from_bytes`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| ipfirm_fuzz::from_bytes(data));
