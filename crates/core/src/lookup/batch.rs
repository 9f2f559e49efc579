//! Batched lookups: many binary searches interleaved so their memory loads overlap.
//!
//! A single lookup is a chain of dependent loads; the CPU waits for each. Running a group of
//! searches in lock-step gives it independent loads to issue at once (memory-level
//! parallelism), and a prefetch of each lane's next probe hides most of the latency.

use std::net::IpAddr;

use super::{ArchivedKey, Database, Match, bucket, count_le};
use crate::format::V6_RANGE_BIT;
use crate::range::unmap;

/// Lanes searched together.
const LANES: usize = 16;

impl Database {
    /// Looks up many addresses at once; the result `i` is exactly `lookup(addrs[i])`.
    pub fn lookup_batch(&self, addrs: &[IpAddr]) -> Vec<Option<Match<'_>>> {
        let mut out = Vec::with_capacity(addrs.len());
        self.lookup_batch_into(addrs, &mut out);
        out
    }

    /// As [`lookup_batch`](Self::lookup_batch), appending to `out` (reuse it to avoid
    /// allocating per batch).
    pub fn lookup_batch_into<'a>(&'a self, addrs: &[IpAddr], out: &mut Vec<Option<Match<'a>>>) {
        let mut slots = [0u32; LANES];
        for chunk in addrs.chunks(LANES) {
            self.find_slots(chunk, &mut slots);
            for &slot in &slots[..chunk.len()] {
                out.push(if slot == u32::MAX { None } else { self.match_at(slot) });
            }
        }
    }

    /// Finds the range slot of each address of `chunk` (`u32::MAX` when damaged data gives
    /// none), searching all IPv4 lanes together.
    fn find_slots(&self, chunk: &[IpAddr], slots: &mut [u32; LANES]) {
        let body = self.body();
        let mut lo = [0usize; LANES];
        let mut base = [0usize; LANES];
        let mut len = [0usize; LANES];
        let mut key = [0u32; LANES];
        let mut v4_lanes = [false; LANES];
        let starts = &body.v4.starts[..];
        let mut rounds = 0;
        for (l, addr) in chunk.iter().enumerate() {
            slots[l] = u32::MAX;
            match unmap(*addr) {
                IpAddr::V4(a) => {
                    key[l] = u32::from(a);
                    if let Some((start, s)) = bucket(&body.v4, key[l]) {
                        lo[l] = start;
                        len[l] = s.len();
                        v4_lanes[l] = true;
                        rounds = rounds.max(usize::BITS - s.len().leading_zeros());
                        prefetch(starts.as_ptr().wrapping_add(start + s.len() / 2));
                    }
                }
                IpAddr::V6(a) => {
                    if let Some((start, s)) = bucket(&body.v6, u128::from(a)) {
                        let c = count_le(s, u128::from(a));
                        if let Some(i) = (start + c).checked_sub(1) {
                            slots[l] = i as u32 | V6_RANGE_BIT;
                        }
                    }
                }
            }
        }
        // Lock-step branch-free binary search over the IPv4 lanes.
        for _ in 0..rounds {
            for l in 0..chunk.len() {
                if len[l] > 1 {
                    let half = len[l] / 2;
                    let probe = lo[l] + base[l] + half;
                    if let Some(k) = starts.get(probe) {
                        base[l] = if k.native() <= key[l] { base[l] + half } else { base[l] };
                    }
                    len[l] -= half;
                    prefetch(starts.as_ptr().wrapping_add(lo[l] + base[l] + len[l] / 2));
                }
            }
        }
        for l in 0..chunk.len() {
            if v4_lanes[l] {
                let at = lo[l] + base[l];
                let le = starts.get(at).is_some_and(|k| len[l] > 0 && k.native() <= key[l]) as usize;
                if let Some(i) = (at + le).checked_sub(1) {
                    slots[l] = i as u32;
                    if let Some(v) = body.v4.values.get(i) {
                        prefetch(body.entries.as_ptr().wrapping_add(v.to_native() as usize));
                    }
                }
            }
        }
    }
}

/// Hints the CPU to fetch the cache line at `p`. Never faults, even for a wild pointer.
#[inline(always)]
#[allow(unsafe_code)]
fn prefetch<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: PREFETCHT0 is only a hint; it never faults or reads memory architecturally,
    // whatever the address (Intel SDM vol. 2B, PREFETCHh).
    unsafe {
        core::arch::x86_64::_mm_prefetch::<{ core::arch::x86_64::_MM_HINT_T0 }>(p.cast::<i8>())
    };
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}
