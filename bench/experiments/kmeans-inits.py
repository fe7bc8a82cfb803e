"""scib-metrics scores k-means with one initialisation: how much does that
one draw decide? sklearn's k-means at the number of labels, one
initialisation, ten random states, on the seed-0 embeddings of
contrastiveSC with and without batch that `make bench-integration` left
in build/integration.

    build/integration-venv/bin/python bench/experiments/kmeans-inits.py
"""
import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score

for task in ["cell_lines_plates", "baron_mouse_animals"]:
    d = f"build/integration/{task}"
    obs = pd.read_csv(f"{d}/obs.csv")
    k = obs["label"].nunique()
    for method in ["csc", "csc_batch"]:
        emb = np.loadtxt(f"{d}/{method}_s0.csv", delimiter=",")
        one = [adjusted_rand_score(obs["label"], KMeans(k, n_init=1, random_state=s).fit_predict(emb)) for s in range(10)]
        print(task, method, "one initialisation:", np.round(one, 2))
