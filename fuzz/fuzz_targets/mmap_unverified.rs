#![no_main]
//! See `ipfirm_fuzz::mmap_unverified`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| ipfirm_fuzz::mmap_unverified(data));
