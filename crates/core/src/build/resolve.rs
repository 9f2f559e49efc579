//! Overlap resolution: turns possibly overlapping input intervals into sorted, disjoint ranges.
//!
//! Rule: at every address the **most specific** (smallest) covering input wins; between inputs
//! of the same size the one inserted **last** wins. Adjacent results with the same entry merge.
//! A sweep over the interval boundaries with a heap of the open intervals does it in
//! O(n log n).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rayon::prelude::*;

use crate::format::{Key, NO_ENTRY};

/// One input interval: `start ..= end` carrying `entry`, inserted as number `seq`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Interval<K> {
    pub start: K,
    pub end: K,
    pub seq: u64,
    pub entry: u32,
}

/// Resolves `input` into `(starts, values)`: `starts[0] == 0`, strictly increasing, and
/// `values[i]` the entry of `starts[i] ..` up to the next start, [`NO_ENTRY`] for gaps.
pub(crate) fn resolve<K: Key + Send + Sync>(mut input: Vec<Interval<K>>) -> (Vec<K>, Vec<u32>) {
    // Sorted in parallel: `(start, seq)` is unique (`seq` is), so the order is the same
    // whatever the thread count; so is the order of the ends (plain values).
    input.par_sort_unstable_by_key(|iv| (iv.start, iv.seq));
    // The starts are sorted already: only the ends need sorting, then the two are merged.
    let mut ends: Vec<K> = input.par_iter().filter_map(|iv| iv.end.succ()).collect();
    ends.par_sort_unstable();
    let mut boundaries: Vec<K> = Vec::with_capacity(input.len() + ends.len() + 1);
    boundaries.push(K::default());
    let (mut i, mut j) = (0, 0);
    while i < input.len() || j < ends.len() {
        let take_start = j >= ends.len() || (i < input.len() && input[i].start <= ends[j]);
        let b = if take_start {
            i += 1;
            input[i - 1].start
        } else {
            j += 1;
            ends[j - 1]
        };
        if boundaries.last() != Some(&b) {
            boundaries.push(b);
        }
    }
    drop(ends);

    // Max-heap on (smaller span first, then later insertion first).
    let mut open: BinaryHeap<(Reverse<u128>, u64, K, u32)> = BinaryHeap::new();
    let mut next = 0usize;
    let mut starts: Vec<K> = Vec::with_capacity(boundaries.len());
    let mut values: Vec<u32> = Vec::with_capacity(boundaries.len());
    for &point in &boundaries {
        while let Some(iv) = input.get(next).filter(|iv| iv.start == point) {
            open.push((Reverse(iv.end.sub(iv.start)), iv.seq, iv.end, iv.entry));
            next += 1;
        }
        while open.peek().is_some_and(|top| top.2 < point) {
            open.pop();
        }
        let value = open.peek().map_or(NO_ENTRY, |top| top.3);
        if values.last() != Some(&value) {
            starts.push(point);
            values.push(value);
        }
    }
    (starts, values)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iv(start: u32, end: u32, seq: u64, entry: u32) -> Interval<u32> {
        Interval { start, end, seq, entry }
    }

    #[test]
    fn nested_most_specific_wins_and_gaps_appear() {
        let (s, v) = resolve(vec![iv(10, 100, 0, 1), iv(20, 29, 1, 2)]);
        assert_eq!(s, [0, 10, 20, 30, 101]);
        assert_eq!(v, [NO_ENTRY, 1, 2, 1, NO_ENTRY]);
    }

    #[test]
    fn equal_size_later_insert_wins_and_adjacent_merge() {
        let (s, v) = resolve(vec![iv(0, 9, 0, 1), iv(0, 9, 1, 2), iv(10, 19, 2, 2)]);
        assert_eq!(s, [0, 20]);
        assert_eq!(v, [2, NO_ENTRY]);
    }

    #[test]
    fn full_range_has_no_trailing_gap() {
        let (s, v) = resolve(vec![iv(0, u32::MAX, 0, 7)]);
        assert_eq!((s, v), (vec![0], vec![7]));
    }
}
