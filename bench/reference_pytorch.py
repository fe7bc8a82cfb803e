#!/usr/bin/env python3
"""The peer for speed and quality: a faithful PyTorch re-implementation of
the original contrastive-sc pipeline (scanpy preprocessing as in SPEC.md
section 1, the MLP with input dropout, SupConLoss at tau 0.07, Adam at lr
0.4 with the original's cosine schedule over T = 500, 30 epochs of batches
of 200, scikit-learn KMeans with 10 restarts), timed on this machine with
the same thread count as contrastiveSC.

    python3 bench/reference_pytorch.py DATA_DIR/DATASET OUT.csv [SEEDS] [THREADS]

Needs scanpy, torch 2.11 and scikit-learn (the fixture venv of `make
fixtures` has them). Prints and writes one CSV row per seed.
"""
import gzip
import math
import pathlib
import sys
import time

import numpy as np


def preprocess(d, n_genes=500):
    import scanpy as sc
    import scipy.io
    from anndata import AnnData

    with gzip.open(d / "counts.mtx.gz") as fh:
        m = scipy.io.mmread(fh)
    adata = AnnData(m.T.tocsr().astype(np.float32))
    adata.X.data = np.ceil(adata.X.data)
    sc.pp.filter_genes(adata, min_counts=1)
    sc.pp.filter_cells(adata, min_counts=1)
    sc.pp.normalize_total(adata)
    sc.pp.log1p(adata)
    sc.pp.highly_variable_genes(adata, flavor="seurat", n_top_genes=n_genes)
    adata = adata[:, adata.var["highly_variable"].values].copy()
    sc.pp.scale(adata)
    return np.asarray(adata.X, dtype=np.float32)


def train(x, seed, epochs=30, batch=200, lr=0.4, tau=0.07, p=0.9, layers=(200, 40, 60), device="cpu"):
    import torch
    import torch.nn.functional as F

    torch.manual_seed(seed)
    np.random.seed(seed)
    mods, prev = [torch.nn.Dropout(p)], x.shape[1]
    for i, size in enumerate(layers):
        lin = torch.nn.Linear(prev, size)
        torch.nn.init.xavier_uniform_(lin.weight)
        mods.append(lin)
        if i < len(layers) - 1:
            mods += [torch.nn.BatchNorm1d(size), torch.nn.ReLU()]
        prev = size
    model = torch.nn.Sequential(*mods).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    xt = torch.from_numpy(x)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xt), batch_size=batch, shuffle=True)
    for epoch in range(epochs):
        eta_min = lr * 1e-3
        for g in opt.param_groups:
            g["lr"] = eta_min + (lr - eta_min) * (1 + math.cos(math.pi * epoch / 500)) / 2
        model.train()
        for (xb,) in loader:
            if xb.shape[0] < 2:
                continue
            xb = xb.to(device)
            z1 = F.normalize(model(xb), dim=1)
            z2 = F.normalize(model(xb), dim=1)
            z = torch.cat([z1, z2])
            n = xb.shape[0]
            logits = z @ z.T / tau
            logits = logits - logits.max(dim=1, keepdim=True).values.detach()
            eye = torch.eye(2 * n, dtype=torch.bool, device=device)
            exp = torch.exp(logits).masked_fill(eye, 0)
            pos = torch.cat([torch.arange(n, 2 * n, device=device), torch.arange(0, n, device=device)])
            loss = (-(logits[torch.arange(2 * n, device=device), pos] - torch.log(exp.sum(1)))).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
    model.eval()
    with torch.no_grad():
        return F.normalize(model(xt.to(device)), dim=1).cpu().numpy()


def main():
    import torch
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score, silhouette_score

    d = pathlib.Path(sys.argv[1])
    out = sys.argv[2]
    seeds = [int(s) for s in (sys.argv[3] if len(sys.argv) > 3 else "0,1,2").split(",")]
    threads = int(sys.argv[4]) if len(sys.argv) > 4 else 2
    torch.set_num_threads(threads)
    labels = [l.split("\t")[1] for l in (d / "labels.tsv").read_text().splitlines()[1:]]
    k = len(set(labels))
    rows = ["dataset,method,seed,ARI,NMI,silhouette,preprocess_s,train_s,kmeans_s,total_s"]
    for seed in seeds:
        t0 = time.perf_counter()
        x = preprocess(d)
        t1 = time.perf_counter()
        emb = train(x, seed)
        t2 = time.perf_counter()
        pred = KMeans(n_clusters=k, init="k-means++", n_init=10, random_state=seed).fit_predict(emb)
        t3 = time.perf_counter()
        ari = adjusted_rand_score(labels, pred)
        nmi = normalized_mutual_info_score(labels, pred)
        sil = silhouette_score(emb, pred)
        rows.append(f"{d.name},PyTorch reference,{seed},{ari:.4f},{nmi:.4f},{sil:.4f},{t1-t0:.3f},{t2-t1:.3f},{t3-t2:.3f},{t3-t0:.3f}")
        print(rows[-1], flush=True)
    pathlib.Path(out).write_text("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
