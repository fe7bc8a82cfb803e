#!/usr/bin/env python3
"""The peer on a GPU: the original contrastive-sc training loop (PyTorch,
`reference_pytorch.train`, 30 epochs of 200 cells) on CUDA, timed on 10X
PBMC (with its KMeans ARI) and on synthetic data of given sizes (500
genes), as `bench/gpu-check.sh` times the Rust binary on the same machine.

    # here (scanpy): the PBMC matrix exactly as the reference preprocesses it
    python3 bench/gpu_reference.py prepare DATA_DIR OUT_DIR
    # on the GPU machine (torch, numpy, scikit-learn; no scanpy needed)
    python3 bench/gpu_reference.py run OUT_DIR [CELLS,...]
"""
import pathlib
import sys
import time

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import reference_pytorch as ref  # noqa: E402


def prepare(data, out):
    x = ref.preprocess(data)
    labels = [l.split("\t")[1] for l in (data / "labels.tsv").read_text().splitlines()[1:]]
    assert x.shape[0] == len(labels), "the reference dropped cells; labels would not align"
    out.mkdir(parents=True, exist_ok=True)
    np.save(out / "pbmc-reference-scaled.npy", x)
    (out / "pbmc-labels.txt").write_text("\n".join(labels) + "\n")


def timed_train(x, device):
    import torch

    torch.cuda.synchronize()
    t = time.perf_counter()
    emb = ref.train(x, 0, device=device)
    torch.cuda.synchronize()
    return emb, time.perf_counter() - t


def run(out, sizes):
    import torch
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score

    device = "cuda"
    print(f"python torch {torch.__version__} on {torch.cuda.get_device_name(0)}")
    print("data,cells,train_s,ms_per_step,ari")
    x = np.load(out / "pbmc-reference-scaled.npy")
    labels = (out / "pbmc-labels.txt").read_text().split()
    timed_train(x[:400], device)  # CUDA context and kernels warm, as in the Rust run's first phase
    emb, s = timed_train(x, device)
    pred = KMeans(n_clusters=len(set(labels)), n_init=10, random_state=0).fit_predict(emb)
    steps = 30 * -(-x.shape[0] // 200)
    print(f"pbmc,{x.shape[0]},{s:.3f},{1000 * s / steps:.3f},{adjusted_rand_score(labels, pred):.4f}", flush=True)
    rng = np.random.default_rng(7)
    for n in sizes:
        x = rng.standard_normal((n, 500), dtype=np.float32)
        _, s = timed_train(x, device)
        steps = 30 * -(-n // 200)
        print(f"synthetic,{n},{s:.3f},{1000 * s / steps:.3f},", flush=True)


if __name__ == "__main__":
    mode, where = sys.argv[1], pathlib.Path(sys.argv[2])
    if mode == "prepare":
        prepare(where, pathlib.Path(sys.argv[3]))
    else:
        run(where, [int(v) for v in sys.argv[3].split(",")] if len(sys.argv) > 3 else [])
