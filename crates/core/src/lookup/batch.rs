//! Batched lookups: many binary searches interleaved so their memory loads overlap.
//!
//! A single lookup is a chain of dependent loads; the CPU waits for each. Running a group of
//! searches in lock-step gives it independent loads to issue at once (memory-level
//! parallelism), and a prefetch of each lane's next probe hides most of the latency.

use std::net::IpAddr;

use super::{ArchivedKey, Database, Match, block, bucket};
use crate::format::{ArchivedIndex, Key, V6_RANGE_BIT};
use crate::range::unmap;

/// Class code of an address no range covers, in [`Database::lookup_codes_into`].
pub const NO_MATCH: u8 = u8::MAX;
/// Company index meaning "no company", in [`Database::lookup_codes_into`].
pub const NO_COMPANY: u32 = crate::format::NO_COMPANY;

/// Lanes searched together: enough independent loads in flight to cover DRAM latency (a
/// core tracks a few dozen outstanding misses), few enough that the lanes' state stays in
/// registers and L1.
const LANES: usize = 32;

/// A lane's answer when damaged data gives none.
const NONE: u32 = u32::MAX;

impl Database {
    /// Looks up many addresses at once; the result `i` is exactly `lookup(addrs[i])`.
    pub fn lookup_batch(&self, addrs: &[IpAddr]) -> Vec<Option<Match<'_>>> {
        let mut out = Vec::with_capacity(addrs.len());
        self.lookup_batch_into(addrs, &mut out);
        out
    }

    /// The columnar form of [`lookup_batch`](Self::lookup_batch) that data-frame users join on:
    /// appends each address's class code ([`Class::code`](crate::Class::code), or [`NO_MATCH`]
    /// when no range covers it) to `classes` and its company index (or [`NO_COMPANY`]) to
    /// `companies`.
    pub fn lookup_codes_into(&self, addrs: &[IpAddr], classes: &mut Vec<u8>, companies: &mut Vec<u32>) {
        let mut found = Vec::with_capacity(addrs.len());
        self.lookup_batch_into(addrs, &mut found);
        classes.reserve(found.len());
        companies.reserve(found.len());
        for m in &found {
            classes.push(m.as_ref().map_or(NO_MATCH, |m| m.class().code()));
            companies.push(m.as_ref().and_then(|m| m.company()).map_or(NO_COMPANY, |c| c.index() as u32));
        }
    }

    /// As [`lookup_batch`](Self::lookup_batch), appending to `out` (reuse it to avoid
    /// allocating per batch).
    pub fn lookup_batch_into<'a>(&'a self, addrs: &[IpAddr], out: &mut Vec<Option<Match<'a>>>) {
        out.reserve(addrs.len());
        let body = self.body();
        let mut v4 = Lanes::<u32>::new();
        let mut v6 = Lanes::<u128>::new();
        let mut slots = [NONE; LANES];
        for chunk in addrs.chunks(LANES) {
            v4.n = 0;
            v6.n = 0;
            for (l, addr) in chunk.iter().enumerate() {
                match unmap(*addr) {
                    IpAddr::V4(a) => v4.push(l, u32::from(a)),
                    IpAddr::V6(a) => v6.push(l, u128::from(a)),
                }
            }
            // Both families' searches run before any result is read, so their loads overlap.
            v4.start(&body.v4);
            v6.start(&body.v6);
            v4.search(&body.v4.fences);
            v6.search(&body.v6.fences);
            v4.enter_blocks(&body.v4);
            v6.enter_blocks(&body.v6);
            v4.search(&body.v4.starts);
            v6.search(&body.v6.starts);
            v4.finish(&body.v4, 0, &mut slots, body.entries.as_ptr());
            v6.finish(&body.v6, V6_RANGE_BIT, &mut slots, body.entries.as_ptr());
            for &slot in &slots[..chunk.len()] {
                out.push(if slot == NONE { None } else { self.match_at(slot) });
            }
        }
    }
}

/// The state of up to [`LANES`] binary searches over one family's index, run in lock-step:
/// lane `j` searches `starts[lo[j] ..][.. len[j]]` for `key[j]`, with `base[j]` its offset so far.
struct Lanes<K> {
    n: usize,
    lane: [u8; LANES],
    key: [K; LANES],
    lo: [usize; LANES],
    base: [usize; LANES],
    len: [usize; LANES],
    rounds: u32,
}

impl<K: Key> Lanes<K> {
    fn new() -> Self {
        Lanes {
            n: 0,
            lane: [0; LANES],
            key: [K::default(); LANES],
            lo: [0; LANES],
            base: [0; LANES],
            len: [0; LANES],
            rounds: 0,
        }
    }

    #[inline(always)]
    fn push(&mut self, lane: usize, key: K) {
        self.lane[self.n] = lane as u8;
        self.key[self.n] = key;
        self.n += 1;
    }

    /// Reads each lane's bucket of fences from the top-level table and prefetches its first
    /// probe.
    #[inline(always)]
    fn start<A: ArchivedKey<Native = K>>(&mut self, index: &ArchivedIndex<K>)
    where
        K: rkyv::Archive<Archived = A>,
    {
        let fences = index.fences.as_ptr();
        self.rounds = 0;
        for j in 0..self.n {
            self.base[j] = 0;
            match bucket(index, self.key[j]) {
                Some((lo, s)) => {
                    self.lo[j] = lo;
                    self.len[j] = s.len();
                    self.rounds = self.rounds.max(usize::BITS - s.len().leading_zeros());
                    prefetch(fences.wrapping_add(lo + s.len() / 2));
                }
                None => self.fail(j),
            }
        }
    }

    /// Marks lane `j` as having no answer (damaged data).
    #[inline(always)]
    fn fail(&mut self, j: usize) {
        self.lo[j] = usize::MAX;
        self.len[j] = 0;
    }

    /// Lane `j`'s answer after a search of `keys`: the index of the last key `<= key[j]`.
    #[inline(always)]
    fn settle<A: ArchivedKey<Native = K>>(&self, j: usize, keys: &[A]) -> Option<usize> {
        if self.lo[j] == usize::MAX {
            return None;
        }
        let at = self.lo[j] + self.base[j];
        let le = keys.get(at).is_some_and(|k| self.len[j] > 0 && k.native() <= self.key[j]) as usize;
        (at + le).checked_sub(1)
    }

    /// The lock-step branch-free binary search over `keys`: each round every lane halves
    /// its interval and prefetches its next probe, which the other lanes' work then hides.
    #[inline(always)]
    fn search<A: ArchivedKey<Native = K>>(&mut self, keys: &[A]) {
        // Probes are clamped into the array (an empty bucket at its end probes one past it),
        // so the loop has no branch but its own.
        let Some(last) = keys.len().checked_sub(1) else {
            return; // every lane then settles to no answer
        };
        for _ in 0..self.rounds {
            for j in 0..self.n {
                // A lane already done has half == 0 and stays where it is.
                let half = self.len[j] / 2;
                let probe = self.lo[j].wrapping_add(self.base[j] + half).min(last);
                // In bounds: `probe <= last`. (`get` made the comparison below a branch.)
                let le = keys[probe].le(self.key[j]);
                // Said to be unpredictable: as a plain `if` the compiler made it a branch that
                // mispredicts half the time.
                self.base[j] += std::hint::select_unpredictable(le, half, 0);
                self.len[j] -= half;
                prefetch(keys.as_ptr().wrapping_add(self.lo[j].wrapping_add(self.base[j] + self.len[j] / 2)));
            }
        }
    }

    /// Turns each lane's fence into its block of starts (prefetched) for the second search.
    #[inline(always)]
    fn enter_blocks<A: ArchivedKey<Native = K>>(&mut self, index: &ArchivedIndex<K>)
    where
        K: rkyv::Archive<Archived = A>,
    {
        self.rounds = 0;
        for j in 0..self.n {
            let found = self.settle(j, &index.fences).and_then(|f| block(index, f));
            self.base[j] = 0;
            match found {
                Some((first, s)) => {
                    self.lo[j] = first;
                    self.len[j] = s.len();
                    self.rounds = self.rounds.max(usize::BITS - s.len().leading_zeros());
                }
                None => self.fail(j),
            }
        }
    }

    /// Writes each lane's range slot (with `flag`) and prefetches its entry.
    #[inline(always)]
    fn finish<A: ArchivedKey<Native = K>>(
        &mut self,
        index: &ArchivedIndex<K>,
        flag: u32,
        slots: &mut [u32; LANES],
        entries: *const impl Sized,
    ) where
        K: rkyv::Archive<Archived = A>,
    {
        for j in 0..self.n {
            let slot = match self.settle(j, &index.starts) {
                Some(i) => {
                    if let Some(v) = index.values.get(i) {
                        prefetch(entries.wrapping_add(v.to_native() as usize));
                    }
                    i as u32 | flag
                }
                None => NONE,
            };
            slots[self.lane[j] as usize] = slot;
        }
    }
}

/// Hints the CPU to fetch the cache line at `p`. Never faults, even for a wild pointer.
#[inline(always)]
#[allow(unsafe_code)]
pub(super) fn prefetch<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: PREFETCHT0 is only a hint; it never faults or reads memory architecturally,
    // whatever the address (Intel SDM vol. 2B, PREFETCHh).
    unsafe {
        core::arch::x86_64::_mm_prefetch::<{ core::arch::x86_64::_MM_HINT_T0 }>(p.cast::<i8>())
    };
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}
