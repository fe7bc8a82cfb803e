//! Issue-12 candidates that change more than an option of the core: the
//! network's input, its initialisation, the augmentations, extra loss terms,
//! the layer read out and short-run ensembles. The training loop is written
//! out here with the core's batches, dropout streams, neighbour positives and
//! schedule, so with no variant switched on it reproduces
//! `csc_core::train::train` bit for bit (`same=1` asserts it); a candidate
//! that wins moves into the core.
//!
//! Keys (besides the core's, see `main.rs`): `input` (`residuals`: clipped
//! analytic Pearson residuals of the kept genes; `residuals-scaled`: the
//! same, z-scored; `pcs`: the 50 leading principal components), `init=pca`
//! (the first layer's first 50 units start as the PCA loadings), `noise`
//! (Gaussian sd added to the scaled values of a view), `thin` (binomial
//! thinning of the counts: each view keeps a fraction drawn from
//! `U(thin, 1)`), `depth=1` (dropout tied to depth: deeper cells keep fewer
//! genes), `programmes=G` + `programme_drop=q` (genes grouped by k-means on
//! their loadings; each view drops each group with probability q), `queue=M`
//! (the last M view-1 embeddings as extra negatives), `prototypes=M` +
//! `proto_weight=w` (a prototype term: k-means of the current embedding into
//! M groups, refreshed every 20 steps after a tenth of training, and each
//! view pulled to its cell's prototype), `layer=i` (read the embedding after
//! hidden layer i, 1-based, instead of the output), `ensemble=n` (n runs of
//! 1/n the steps each, embeddings side by side).

use csc_core::cluster::kmeans;
use csc_core::neighbours::Neighbours;
use csc_core::nn::{cosine_lr, l2_normalize, nt_xent, Adam, Encoder, SparseBatch};
use csc_core::pca::Pca;
use csc_core::preprocess::Preprocessed;
use csc_core::rng::{run_seed, stream, Purpose, Rng};
use csc_core::train::{epoch_batches, Trainer, NEIGHBOUR_COMPONENTS};
use csc_core::{CscOwned, KMeansOptions, TrainOptions};
use ndarray::{concatenate, s, Array2, ArrayView2, Axis};
use rand::Rng as _;
use rand_distr::{Binomial, Distribution, Normal};
use std::collections::HashMap;

type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// Steps between prototype refreshes.
const PROTO_EVERY: usize = 20;

/// What the network is trained on.
#[derive(Clone, Copy, PartialEq)]
enum Input {
    Scaled,
    Residuals,
    ResidualsScaled,
    Pcs,
}

/// One candidate's switches; all off is the core's training.
#[derive(Clone)]
pub struct Variant {
    input: Input,
    init_pca: bool,
    noise: f32,
    thin: f64,
    depth: bool,
    programmes: usize,
    programme_drop: f64,
    queue: usize,
    prototypes: usize,
    proto_weight: f64,
    layer: usize,
    ensemble: usize,
    same: bool,
}

impl Variant {
    /// The switches named in `kv`; `None` when none is on.
    pub fn parse(kv: &HashMap<&str, &str>) -> Res<Option<Self>> {
        let num = |k: &str, d: f64| -> Res<f64> { Ok(kv.get(k).map(|v| v.parse()).transpose()?.unwrap_or(d)) };
        let input = match kv.get("input").copied() {
            None | Some("scaled") => Input::Scaled,
            Some("residuals") => Input::Residuals,
            Some("residuals-scaled") => Input::ResidualsScaled,
            Some("pcs") => Input::Pcs,
            Some(o) => return Err(format!("input={o}?").into()),
        };
        let v = Self {
            input,
            init_pca: kv.get("init") == Some(&"pca"),
            noise: num("noise", 0.0)? as f32,
            thin: num("thin", 0.0)?,
            depth: kv.get("depth") == Some(&"1"),
            programmes: num("programmes", 0.0)? as usize,
            programme_drop: num("programme_drop", 0.2)?,
            queue: num("queue", 0.0)? as usize,
            prototypes: num("prototypes", 0.0)? as usize,
            proto_weight: num("proto_weight", 1.0)?,
            layer: num("layer", 0.0)? as usize,
            ensemble: num("ensemble", 1.0)? as usize,
            same: kv.get("same") == Some(&"1"),
        };
        let on = v.input != Input::Scaled
            || v.init_pca
            || v.noise > 0.0
            || v.thin > 0.0
            || v.depth
            || v.programmes > 0
            || v.queue > 0
            || v.prototypes > 0
            || v.layer > 0
            || v.ensemble > 1
            || v.same;
        Ok(on.then_some(v))
    }

    fn augments(&self) -> bool {
        self.noise > 0.0 || self.thin > 0.0 || self.depth || self.programmes > 0
    }
}

/// The kept genes' counts (or, for log-scale input, `expm1` of the values)
/// with what turns them back into the scaled values.
struct Counts {
    /// Kept cells x kept genes.
    raw: Array2<f32>,
    /// Per kept cell: `median_total / total` (1 for log-scale input).
    size: Vec<f64>,
    /// Per kept cell: total over all genes.
    totals: Vec<f64>,
}

impl Counts {
    fn new(x: &CscOwned, p: &Preprocessed) -> Res<Self> {
        let v = x.view()?;
        let norm = p.fit.normalized_input;
        let mut slot = vec![usize::MAX; x.n_rows];
        for (j, &g) in p.fit.genes.iter().enumerate() {
            slot[g] = j;
        }
        let mut raw = Array2::<f32>::zeros((p.cells.len(), p.fit.genes.len()));
        let mut totals = Vec::with_capacity(p.cells.len());
        for (i, &c) in p.cells.iter().enumerate() {
            let mut t = 0.0;
            for (g, val) in v.column(c) {
                let lin = if norm { val.exp_m1() } else { val.ceil() };
                t += lin;
                if slot[g] != usize::MAX {
                    raw[[i, slot[g]]] = lin as f32;
                }
            }
            totals.push(t);
        }
        let size = totals.iter().map(|&t| if norm { 1.0 } else { p.fit.median_total / t }).collect();
        Ok(Self { raw, size, totals })
    }

    /// Clipped analytic Pearson residuals (theta 100) of the kept genes.
    fn residuals(&self) -> Array2<f32> {
        let n = self.raw.nrows();
        let gene = self.raw.sum_axis(Axis(0)).mapv(f64::from);
        let grand: f64 = self.totals.iter().sum();
        let clip = (n as f64).sqrt();
        Array2::from_shape_fn(self.raw.dim(), |(i, j)| {
            let mu = self.totals[i] * gene[j] / grand;
            csc_core::preprocess::pearson_residual(self.raw[[i, j]] as f64, mu, clip) as f32
        })
    }
}

/// Per-dataset inputs of a variant.
pub struct Inputs<'a> {
    pub pre: &'a Preprocessed,
    pub counts: &'a CscOwned,
}

/// The embedding of every kept cell under `variant` (ensembles concatenated).
pub fn embed(inp: &Inputs, v: &Variant, opts: &TrainOptions, seed: u64) -> Res<Array2<f32>> {
    let counts = Counts::new(inp.counts, inp.pre)?;
    let data = match v.input {
        Input::Scaled => inp.pre.data.clone(),
        Input::Residuals => counts.residuals(),
        Input::ResidualsScaled => zscore(counts.residuals()),
        Input::Pcs => Pca::fit(inp.pre.data.view(), NEIGHBOUR_COMPONENTS, seed)?.project(inp.pre.data.view()),
    };
    let n = v.ensemble.max(1);
    let short = TrainOptions {
        epochs: opts.epochs.div_ceil(n),
        cosine_period: opts.epochs.div_ceil(n),
        min_steps: opts.min_steps.div_ceil(n),
        ..opts.clone()
    };
    let mut parts = Vec::new();
    for run in 0..n {
        let s = run_seed(seed, run);
        let enc = train(&data, &counts, inp.pre, v, &short, s)?;
        parts.push(read_out(&enc, data.view(), v.layer));
        if v.same {
            let core = csc_core::train::train(data.clone(), &short, s)?.embed()?;
            assert_eq!(core, parts[parts.len() - 1], "the written-out loop differs from the core's");
            eprintln!("same: bit-identical to the core");
        }
    }
    let views: Vec<_> = parts.iter().map(|p| p.view()).collect();
    Ok(concatenate(Axis(1), &views)?.as_standard_layout().into_owned())
}

fn zscore(mut x: Array2<f32>) -> Array2<f32> {
    for mut c in x.axis_iter_mut(Axis(1)) {
        let m = c.mean().unwrap_or(0.0);
        let sd = c.std(1.0).max(1e-6);
        c.mapv_inplace(|v| (v - m) / sd);
    }
    x
}

/// Evaluation-mode forward pass read after hidden layer `layer` (0: output).
fn read_out(enc: &Encoder, x: ArrayView2<f32>, layer: usize) -> Array2<f32> {
    if layer == 0 {
        return enc.embed(x);
    }
    let mut h = enc.linears[0].forward(x);
    for i in 1..enc.linears.len() {
        h = enc.norms[i - 1].forward_eval(h.view());
        h.mapv_inplace(|v| v.max(0.0));
        if i == layer {
            break;
        }
        h = enc.linears[i].forward(h.view());
    }
    l2_normalize(h.view()).0
}

/// The core's training loop with the variant's changes.
fn train(data: &Array2<f32>, counts: &Counts, pre: &Preprocessed, v: &Variant, opts: &TrainOptions, seed: u64) -> Res<Encoder> {
    let opts = opts.for_cells(data.nrows());
    let mut enc = Trainer::initial_encoder(data.ncols(), &opts, seed);
    let pca = Pca::fit(data.view(), NEIGHBOUR_COMPONENTS, seed)?;
    if v.init_pca {
        let w = &mut enc.linears[0].weight;
        let c = pca.n_components().min(w.ncols());
        w.slice_mut(s![.., ..c]).assign(&pca.loadings.slice(s![.., ..c]));
    }
    let nb = match opts.neighbours {
        0 => None,
        k => Some(Neighbours::find(pca.project(data.view()).view(), k)?),
    };
    let programme = (v.programmes > 0).then(|| gene_programmes(&pca, v.programmes, seed)).transpose()?;
    let median_total = median(&counts.totals);
    let mut adam = Adam::new(&enc.parameter_sizes());
    let mut queue: Option<Array2<f32>> = None;
    let mut protos: Option<(Array2<f32>, Vec<usize>)> = None;
    let total_steps = opts.epochs * csc_core::train::batches_per_epoch(data.nrows(), opts.batch_size);
    let mut step = 0usize;
    for e in 0..opts.epochs {
        let e64 = e as u64;
        let batches = epoch_batches(data.nrows(), opts.batch_size, &mut stream(seed, Purpose::Shuffle, &[e64]));
        let lr = cosine_lr(opts.learning_rate, e, opts.cosine_period);
        for (b, rows) in batches.iter().enumerate() {
            if v.prototypes > 0 && step >= total_steps / 10 && (protos.is_none() || step % PROTO_EVERY == 0) {
                protos = Some(prototypes(&enc, data.view(), v.prototypes, seed, step)?);
            }
            let pos: Vec<usize> = match &nb {
                None => rows.clone(),
                Some(nb) => rows
                    .iter()
                    .enumerate()
                    .map(|(r, &cell)| {
                        let mut rng = stream(seed, Purpose::Neighbour, &[e64, b as u64, r as u64]);
                        nb.of(cell)[rng.gen_range(0..nb.k)] as usize
                    })
                    .collect(),
            };
            let make = |vi: u64, cells: &[usize]| -> SparseBatch {
                let x = data.select(Axis(0), cells);
                let rng_for = move |r: usize| stream(seed, Purpose::Dropout, &[e64, b as u64, vi, r as u64]);
                if !v.augments() {
                    return SparseBatch::sample(x.view(), opts.dropout, rng_for);
                }
                augmented(x, cells, counts, pre, v, programme.as_deref(), median_total, opts.dropout, rng_for)
            };
            let (v1, v2) = rayon::join(|| make(0, rows), || make(1, &pos));
            let ((e1, c1), (e2, c2)) = rayon::join(|| enc.forward_train(&v1), || enc.forward_train(&v2));
            let emb = concatenate![Axis(0), e1, e2];
            let (loss, mut de) = match &queue {
                Some(q) if v.queue > 0 => nt_xent_queue(emb.view(), q.view(), opts.temperature),
                _ => nt_xent(emb.view(), opts.temperature),
            };
            if !loss.is_finite() {
                return Err(format!("diverged at step {step}").into());
            }
            if let Some((centres, assign)) = &protos {
                let targets: Vec<usize> = rows.iter().chain(&pos).map(|&c| assign[c]).collect();
                de += &prototype_grad(emb.view(), centres.view(), &targets, opts.temperature, v.proto_weight);
            }
            let n = v1.n_rows;
            let (mut g, g2) = rayon::join(
                || enc.backward(&v1, emb.slice(s![..n, ..]), &c1, de.slice(s![..n, ..])),
                || enc.backward(&v2, emb.slice(s![n.., ..]), &c2, de.slice(s![n.., ..])),
            );
            g.add(&g2);
            enc.update_running(&c1.stats);
            enc.update_running(&c2.stats);
            adam.step(&mut enc.parameters_mut(), &g.slices(), lr);
            if v.queue > 0 {
                let fresh = emb.slice(s![..n, ..]).to_owned();
                queue = Some(match queue.take() {
                    None => fresh,
                    Some(q) => {
                        let all = concatenate![Axis(0), fresh, q];
                        all.slice(s![..all.nrows().min(v.queue), ..]).to_owned()
                    }
                });
            }
            step += 1;
        }
    }
    Ok(enc)
}

/// One augmented view of the rows `cells` (dense scaled rows `x`).
#[allow(clippy::too_many_arguments)]
fn augmented<F>(mut x: Array2<f32>, cells: &[usize], counts: &Counts, pre: &Preprocessed, v: &Variant, programme: Option<&[usize]>, median_total: f64, dropout: f64, rng_for: F) -> SparseBatch
where
    F: Fn(usize) -> Rng,
{
    let keep_p = 1.0 - dropout;
    let mut keep = ndarray::Array2::from_elem(x.dim(), false);
    for (r, &cell) in cells.iter().enumerate() {
        let mut rng = rng_for(r);
        let mut row = x.row_mut(r);
        if v.thin > 0.0 {
            let f = rng.gen_range(v.thin..1.0);
            for (j, out) in row.iter_mut().enumerate() {
                let c = counts.raw[[cell, j]].round().max(0.0) as u64;
                let kept = if c == 0 { 0 } else { Binomial::new(c, f).map(|d| d.sample(&mut rng)).unwrap_or(c) };
                let lin = kept as f64 * counts.size[cell] / f;
                *out = ((lin.ln_1p() - pre.fit.means[j]) / pre.fit.stds[j]) as f32;
            }
        }
        if v.noise > 0.0 {
            let d = Normal::new(0.0f32, v.noise).expect("a positive sd");
            row.iter_mut().for_each(|x| *x += d.sample(&mut rng));
        }
        let mut kp = keep_p;
        if v.depth {
            // deeper cells keep fewer genes: keep_p * sqrt(median / total), within 3x of keep_p
            kp = (keep_p * (median_total / counts.totals[cell]).sqrt()).clamp(keep_p / 3.0, (3.0 * keep_p).min(0.9));
            let rescale = (keep_p / kp) as f32;
            row.mapv_inplace(|x| x * rescale);
        }
        let dropped: Vec<bool> = match programme {
            Some(_) => (0..v.programmes).map(|_| rng.gen::<f64>() < v.programme_drop).collect(),
            None => Vec::new(),
        };
        for (j, k) in keep.row_mut(r).iter_mut().enumerate() {
            *k = rng.gen::<f64>() < kp && programme.is_none_or(|p| !dropped[p[j]]);
        }
    }
    SparseBatch::from_mask(x.view(), keep.view(), dropout)
}

/// Genes grouped into `g` programmes by k-means on their loadings scaled by
/// the components' standard deviations.
fn gene_programmes(pca: &Pca, g: usize, seed: u64) -> Res<Vec<usize>> {
    let mut l = pca.loadings.as_standard_layout().into_owned();
    for (mut c, &var) in l.axis_iter_mut(Axis(1)).zip(&pca.variances) {
        c.mapv_inplace(|x| x * var.sqrt() as f32);
    }
    let opts = KMeansOptions { n_init: 3, ..KMeansOptions::default() };
    Ok(kmeans(l.view(), g.min(l.nrows()), &opts, seed)?.labels)
}

/// k-means of the current embedding: unit-norm centres and each cell's.
fn prototypes(enc: &Encoder, x: ArrayView2<f32>, m: usize, seed: u64, step: usize) -> Res<(Array2<f32>, Vec<usize>)> {
    let emb = enc.embed(x);
    let opts = KMeansOptions { n_init: 1, ..KMeansOptions::default() };
    let km = kmeans(emb.view(), m.min(emb.nrows()), &opts, seed.wrapping_add(step as u64))?;
    let centres = l2_normalize(km.centers.mapv(|v| v as f32).view()).0;
    Ok((centres, km.labels))
}

/// `w` x the gradient of the mean over rows of `-log softmax(e C^T / t)[target]`.
fn prototype_grad(e: ArrayView2<f32>, c: ArrayView2<f32>, targets: &[usize], t: f64, w: f64) -> Array2<f32> {
    let inv_t = (1.0 / t) as f32;
    let mut p = e.dot(&c.t()) * inv_t;
    let n = e.nrows() as f32;
    for (mut row, &a) in p.outer_iter_mut().zip(targets) {
        let max = row.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v));
        row.mapv_inplace(|v| (v - max).exp());
        let z = row.sum();
        row.mapv_inplace(|v| v / z);
        row[a] -= 1.0;
    }
    p.dot(&c) * (inv_t * w as f32 / n)
}

/// NT-Xent with the rows of `q` as further negatives (no gradient into `q`).
fn nt_xent_queue(e: ArrayView2<f32>, q: ArrayView2<f32>, temperature: f64) -> (f64, Array2<f32>) {
    let n = e.nrows();
    let half = n / 2;
    let inv_t = (1.0 / temperature) as f32;
    let all = concatenate![Axis(0), e, q];
    let mut s = e.dot(&all.t()) * inv_t;
    let mut loss = 0.0f64;
    for (i, mut row) in s.outer_iter_mut().enumerate() {
        let p = if i < half { i + half } else { i - half };
        row[i] = f32::NEG_INFINITY;
        let max = row.iter().fold(f32::NEG_INFINITY, |a, &b| a.max(b));
        let positive = (row[p] - max) as f64;
        row.mapv_inplace(|v| (v - max).exp());
        row[i] = 0.0;
        let denom: f64 = row.iter().map(|&v| v as f64).sum();
        row.mapv_inplace(|v| (v as f64 / (denom * n as f64)) as f32);
        row[p] -= 1.0 / n as f32;
        loss += -positive + denom.ln();
    }
    let gee = s.slice(s![.., ..n]);
    let geq = s.slice(s![.., n..]);
    let de = ((&gee + &gee.t()).dot(&e) + geq.dot(&q)) * inv_t;
    (loss / n as f64, de)
}

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    s[s.len() / 2]
}
