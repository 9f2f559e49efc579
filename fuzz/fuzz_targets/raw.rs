#![no_main]
//! See `ipfirm_fuzz::raw`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| ipfirm_fuzz::raw(data));
