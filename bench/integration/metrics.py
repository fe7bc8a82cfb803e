"""Issue 21's integration benchmark, Python half.

Reads what embed.R wrote for each task (contrastiveSC with and without
`batch`, PCA of the same genes, Seurat anchors), adds the Python peers on
the same genes (Harmony on that PCA, Scanorama on the log-normalised genes,
scVI on the counts), and scores every embedding with scib-metrics'
Benchmarker (bio conservation, batch correction, total = 0.6 bio + 0.4
batch). Also the owners' quick check: ARI of each method's clusters at the
true k (contrastiveSC's own clusters; k-means on the others) and batch
mixing (issue 21's definition).

    python bench/integration/metrics.py IN_DIR OUT_DIR
"""

import os
import sys
import time

import anndata as ad
import numpy as np
import pandas as pd
import scipy.io
from scib_metrics.benchmark import Benchmarker
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score
from sklearn.neighbors import NearestNeighbors

SEEDS = range(5)


def parse_seeds(text):
    """The seeds as run.sh passes them to embed.R: R's 'a:b' or 'a,b,c'."""
    if ":" in text:
        lo, hi = text.split(":")
        return range(int(lo), int(hi) + 1)
    return [int(s) for s in text.split(",")]


def mixing(emb, batch, k=15):
    """Issue 21's mixing: share of each cell's k nearest neighbours from
    other batches over the share the batch sizes allow, averaged."""
    nn = NearestNeighbors(n_neighbors=k + 1).fit(emb)
    idx = nn.kneighbors(emb, return_distance=False)[:, 1:]
    batch = np.asarray(batch)
    other = (batch[idx] != batch[:, None]).mean(axis=1)
    n = len(batch)
    sizes = pd.Series(batch).value_counts()
    allowed = (n - sizes[batch].to_numpy()) / (n - 1)
    return float(np.mean(other / allowed))


def harmony(pcs, obs, seed):
    import harmonypy

    ho = harmonypy.run_harmony(pcs, obs, "batch", random_state=seed, verbose=False)
    z = np.asarray(ho.Z_corr)
    return z.T if z.shape[0] != pcs.shape[0] else z


def scanorama_embedding(logged, obs):
    import scanorama

    batches = obs["batch"].astype(str).to_numpy()
    order = list(dict.fromkeys(batches))
    parts = [logged[batches == b] for b in order]
    genes = [list(map(str, range(logged.shape[1])))] * len(parts)
    integrated, _ = scanorama.integrate(parts, genes, dimred=50, verbose=0, seed=0)
    out = np.zeros((logged.shape[0], integrated[0].shape[1]))
    for b, z in zip(order, integrated):
        out[batches == b] = z
    return out


def scvi_embedding(counts, obs, seed):
    import scvi

    scvi.settings.seed = seed
    a = ad.AnnData(X=counts.astype(np.float32), obs=obs[["batch"]].astype(str))
    scvi.model.SCVI.setup_anndata(a, batch_key="batch")
    model = scvi.model.SCVI(a)
    model.train(accelerator="cpu", enable_progress_bar=False)
    return model.get_latent_representation()


def read(dir, name):
    return np.loadtxt(os.path.join(dir, name + ".csv"), delimiter=",")


def task(dir):
    obs = pd.read_csv(os.path.join(dir, "obs.csv"))
    obs["batch"] = obs["batch"].astype(str)
    k = obs["label"].nunique()
    pcs = read(dir, "pca")
    logged = read(dir, "logged")
    embeddings, clusters, times = {}, {}, []
    for s in SEEDS:
        for method, prefix in [("contrastiveSC", "csc"), ("contrastiveSC (batch)", "csc_batch")]:
            key = f"{prefix}_s{s}"
            if os.path.exists(os.path.join(dir, key + ".csv")):
                embeddings[(method, s)] = read(dir, key)
                clusters[(method, s)] = obs[key].to_numpy()
    embeddings[("PCA (no integration)", 0)] = pcs
    embeddings[("Seurat anchors", 0)] = read(dir, "seurat")
    # Seurat 5's IntegrateLayers (embed-seurat5.R, where SEURAT5_LIB was set)
    for method, key in [("Seurat 5 CCA", "seurat5_cca"), ("Seurat 5 RPCA", "seurat5_rpca")]:
        if os.path.exists(os.path.join(dir, key + ".csv")):
            embeddings[(method, 0)] = read(dir, key)
    for s in SEEDS:
        key = f"csc_layers_s{s}"
        if os.path.exists(os.path.join(dir, key + ".csv")):
            embeddings[("contrastiveSC (IntegrateLayers)", s)] = read(dir, key)
    for s in SEEDS:
        t0 = time.time()
        embeddings[("Harmony", s)] = harmony(pcs, obs, s)
        times.append(("Harmony", s, time.time() - t0))
    t0 = time.time()
    embeddings[("Scanorama", 0)] = scanorama_embedding(logged, obs)
    times.append(("Scanorama", 0, time.time() - t0))
    counts_file = os.path.join(dir, "counts.mtx")
    if os.path.exists(counts_file):
        counts = scipy.io.mmread(counts_file).T.tocsr()
        t0 = time.time()
        embeddings[("scVI", 0)] = scvi_embedding(counts, obs, 0)
        times.append(("scVI", 0, time.time() - t0))

    a = ad.AnnData(X=pcs.astype(np.float32), obs=obs[["batch", "label"]].astype("category"))
    keys = {}
    for (method, s), emb in embeddings.items():
        key = f"{method} | {s}"
        a.obsm[key] = np.ascontiguousarray(emb, dtype=np.float32)
        keys[key] = (method, s)
    a.obsm["X_pre"] = a.obsm["PCA (no integration) | 0"]
    bm = Benchmarker(a, batch_key="batch", label_key="label", embedding_obsm_keys=list(keys),
                     pre_integrated_embedding_obsm_key="X_pre", n_jobs=2, progress_bar=False)
    bm.benchmark()
    res = bm.get_results(min_max_scale=False)
    res = res.drop(index="Metric Type", errors="ignore")
    rows = []
    for key, (method, s) in keys.items():
        r = res.loc[key].astype(float).to_dict()
        emb = embeddings[(method, s)]
        labels = clusters.get((method, s))
        if labels is None:
            labels = KMeans(n_clusters=k, n_init=10, random_state=s).fit_predict(emb)
        r.update(method=method, seed=s, ARI_at_k=adjusted_rand_score(obs["label"], labels),
                 mixing=mixing(emb, obs["batch"]))
        rows.append(r)
    return pd.DataFrame(rows), pd.DataFrame(times, columns=["method", "seed", "seconds"])


def main(indir, outdir):
    os.makedirs(outdir, exist_ok=True)
    all_rows, all_times = [], []
    for name in sorted(os.listdir(indir)):
        dir = os.path.join(indir, name)
        if not os.path.exists(os.path.join(dir, "obs.csv")):
            continue
        print(name, flush=True)
        rows, times = task(dir)
        rows.insert(0, "task", name)
        times.insert(0, "task", name)
        r_times = pd.concat([pd.read_csv(os.path.join(dir, f))
                             for f in ["times.csv", "times-seurat5.csv"]
                             if os.path.exists(os.path.join(dir, f))])
        r_times.insert(0, "task", name)
        all_rows.append(rows)
        all_times.extend([times, r_times])
    scores = pd.concat(all_rows)
    scores.to_csv(os.path.join(outdir, "scores.csv"), index=False)
    pd.concat(all_times).to_csv(os.path.join(outdir, "times.csv"), index=False)


if __name__ == "__main__":
    # the seeds embed.R ran (SEEDS in run.sh), so that its rows are scored
    if len(sys.argv) > 3:
        SEEDS = parse_seeds(sys.argv[3])
    main(sys.argv[1], sys.argv[2])
