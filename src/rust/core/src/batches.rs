//! Mini-batches of one epoch: the cells reshuffled, cut into `batch_size`
//! pieces, the last partial batch kept, and a last batch of a single cell
//! merged into the previous one (BatchNorm cannot normalise one row).

use crate::rng::Rng;
use rand::seq::SliceRandom;

/// Number of batches [`epoch_batches`] makes.
pub fn batches_per_epoch(n: usize, batch_size: usize) -> usize {
    let b = n.div_ceil(batch_size);
    if b > 1 && n % batch_size == 1 { b - 1 } else { b }
}

/// Row indices of each batch for one epoch.
pub fn epoch_batches(n: usize, batch_size: usize, rng: &mut Rng) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(rng);
    let mut batches: Vec<Vec<usize>> = order.chunks(batch_size).map(<[usize]>::to_vec).collect();
    if batches.len() > 1 && batches.last().is_some_and(|b| b.len() == 1) {
        let last = batches.pop().unwrap_or_default();
        if let Some(prev) = batches.last_mut() {
            prev.extend(last);
        }
    }
    batches
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{stream, Purpose};

    #[test]
    fn every_cell_once_and_no_singleton_batch() {
        for n in [2, 199, 200, 201, 401, 4271] {
            let b = epoch_batches(n, 200, &mut stream(0, Purpose::Shuffle, &[0]));
            let mut all: Vec<usize> = b.iter().flatten().copied().collect();
            all.sort_unstable();
            assert_eq!(all, (0..n).collect::<Vec<_>>());
            assert!(b.iter().all(|x| x.len() >= 2), "n = {n}");
            assert_eq!(b.len(), batches_per_epoch(n, 200), "n = {n}");
        }
    }
}
