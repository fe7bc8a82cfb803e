//! Seeded random streams. One user seed determines everything; each use
//! (initialisation, an epoch's shuffle, one view's dropout mask of one batch,
//! one KMeans restart) gets its own stream derived from the seed and a tag
//! path, so work can run on any thread in any order with the same result.
//! No global RNG is ever touched.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// The generator behind every stream.
pub type Rng = ChaCha8Rng;

/// What a stream is for; part of its derivation.
#[derive(Clone, Copy, Debug)]
#[repr(u64)]
pub enum Purpose {
    /// Weight initialisation.
    Init = 1,
    /// Per-epoch shuffle of the cells.
    Shuffle = 2,
    /// Input-dropout masks: (epoch, batch, view, cell).
    Dropout = 3,
    /// KMeans restarts.
    KMeans = 4,
    /// Seeds of the extra trainings of a consensus.
    Run = 5,
    /// Seeded subsamples (the cells that fit the principal components).
    Subsample = 6,
    /// The neighbour that is a cell's positive: (epoch, batch, cell).
    Neighbour = 7,
}

/// SplitMix64 finaliser: a bijective mix of 64 bits.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A stream for `purpose` and the indices in `path` under `seed`.
pub fn stream(seed: u64, purpose: Purpose, path: &[u64]) -> Rng {
    let mut h = mix(seed ^ mix(purpose as u64));
    for &p in path {
        h = mix(h ^ mix(p.wrapping_add(0x632B_E59B_D9B4_E019)));
    }
    Rng::seed_from_u64(h)
}

/// `keep` distinct indices of `0..n` drawn from `rng`, sorted (the rows
/// keep their order), or `None` when `keep >= n`: all of them. The seeded
/// subsamples of training (`max_cells`) and of k-means' restarts.
pub fn sorted_subsample(n: usize, keep: usize, rng: &mut Rng) -> Option<Vec<usize>> {
    if keep >= n {
        return None;
    }
    let mut rows = rand::seq::index::sample(rng, n, keep).into_vec();
    rows.sort_unstable();
    Some(rows)
}

/// The seed of training run `run` of a consensus under the user's `seed`:
/// run 0 is the seed itself (so one run is exactly the single-model
/// method), later runs get independent derived seeds.
pub fn run_seed(seed: u64, run: usize) -> u64 {
    if run == 0 {
        return seed;
    }
    use rand::RngCore;
    stream(seed, Purpose::Run, &[run as u64]).next_u64()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng as _;

    #[test]
    fn run_zero_is_the_seed_and_later_runs_differ() {
        assert_eq!(run_seed(42, 0), 42);
        let seeds: Vec<u64> = (0..4).map(|r| run_seed(42, r)).collect();
        let mut unique = seeds.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), 4);
        assert_ne!(run_seed(43, 1), run_seed(42, 1));
    }

    #[test]
    fn subsamples_are_sorted_distinct_and_seeded() {
        let rows = sorted_subsample(1_000, 100, &mut stream(1, Purpose::Subsample, &[])).unwrap();
        assert_eq!(rows.len(), 100);
        assert!(rows.windows(2).all(|w| w[0] < w[1]) && rows[99] < 1_000);
        assert_eq!(sorted_subsample(1_000, 100, &mut stream(1, Purpose::Subsample, &[])).unwrap(), rows);
        assert_ne!(sorted_subsample(1_000, 100, &mut stream(2, Purpose::Subsample, &[])).unwrap(), rows);
        assert!(sorted_subsample(100, 100, &mut stream(1, Purpose::Subsample, &[])).is_none());
    }

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let a: u64 = stream(1, Purpose::Dropout, &[0, 1]).gen();
        let b: u64 = stream(1, Purpose::Dropout, &[0, 1]).gen();
        let c: u64 = stream(1, Purpose::Dropout, &[1, 0]).gen();
        let d: u64 = stream(2, Purpose::Dropout, &[0, 1]).gen();
        assert_eq!(a, b);
        assert!(a != c && a != d);
    }
}
