"""Chapter 6's exercises: right answers in several forms, typical mistakes.

(The answer keys re-derived by brute force and with mathdl are in tests/test_chapter6.py.)"""

import math

import numpy as np

import mathdl as md
from mathdl.exercises import chapter6 as ch6


def _sym_diff_arithmetic(a, b):
    return a + b - 2 * a * b


def _sym_diff_abs(a, b):
    return np.abs(a - b)


def _sym_diff_xor(a, b):
    return np.logical_xor(a, b).astype(int)


def _union(a, b):
    return a + b - a * b


def _kahn_readers_way(n, edges):
    order = []                       # repeatedly: the smallest node whose inputs are all listed
    while len(order) < n:
        ready = [v for v in range(n)
                 if v not in order and all(u in order for u, w in edges if w == v)]
        order.append(min(ready))
    return order


def _kahn_heap(n, edges):
    import heapq
    indegree, children = [0] * n, [[] for _ in range(n)]
    for u, v in edges:
        indegree[v] += 1
        children[u].append(v)
    ready = [v for v in range(n) if indegree[v] == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        u = heapq.heappop(ready)
        order.append(u)
        for v in children[u]:
            indegree[v] -= 1
            if indegree[v] == 0:
                heapq.heappush(ready, v)
    return np.array(order)


def _kahn_by_indegree(n, edges):
    counts = np.bincount([v for _, v in edges], minlength=n)
    return sorted(range(n), key=lambda v: counts[v])


def _kahn_backwards(n, edges):
    return _kahn_readers_way(n, edges)[::-1]


def _mean_by_matrices(A, H):
    A_tilde = A + np.eye(len(A))
    return np.linalg.inv(np.diag(A_tilde.sum(axis=1))) @ A_tilde @ H


def _mean_by_loops(A, H):
    out = np.zeros_like(H, dtype=float)
    for v in range(len(A)):
        group = [v] + [u for u in range(len(A)) if A[v, u]]
        out[v] = np.mean([H[u] for u in group], axis=0)
    return out


def _mean_tensor(A, H):
    A_tilde = md.tensor(A + np.eye(len(A)))
    return (A_tilde @ md.tensor(H)) / A_tilde.sum(axis=1, keepdims=True)


def _mean_sum(A, H):
    return (A + np.eye(len(A))) @ H


def _mean_gcn(A, H):
    return md.graph.normalized_adjacency(A) @ H


def _mean_without_self(A, H):
    return (A + np.eye(len(A))) @ H / np.maximum(A.sum(axis=1, keepdims=True), 1)


def _neighbours_only(A, H):
    return A @ H / np.maximum(A.sum(axis=1, keepdims=True), 1)


def _count_prod(sizes):
    return math.prod(math.factorial(n) * 2 ** n for n in sizes[1:-1])


def _count_loop(sizes):
    total = 1
    for n in sizes[1:-1]:
        total *= math.factorial(n) * 2 ** n
    return total


def _count_float(sizes):
    return float(np.prod([math.gamma(n + 1) * 2.0 ** n for n in sizes[1:-1]]))


CASES = {
    "partition_or_leak": {
        "right": ["b", "B", "(b)", 1],
        "wrong": [("a", "mistake", "partition of the rows"), ("c", "mistake", "memorised"),
                  ("d", "mistake", "30% of the test set"), ("e", "unreadable", "letter")],
    },
    "symmetric_difference": {
        "right": [_sym_diff_arithmetic, _sym_diff_abs, _sym_diff_xor],
        "wrong": [(_union, "mistake", "union"), (lambda a, b: a * b, "mistake", "intersection"),
                  (lambda a, b: a + b, "mistake", "gives 2"),
                  (lambda a, b: a - b, "value", "On input")],
    },
    "symmetric_functions": {
        "right": [16, "16", 16.0, 2 ** 4],
        "wrong": [(256, "mistake", "all functions"), (8, "mistake", "rows"),
                  (4, "mistake", "0, 1, 2 or 3"), (20, "value", "too large")],
    },
    "nor_bias_range": {
        "right": [[0, 1], (0.0, 1.0), np.array([0.0, 1.0]), "0, 1"],
        "wrong": [([1, 2], "mistake", "NAND"), ([-1, 0], "mistake", "OR's interval"),
                  ([0, 2], "mistake", "above 1"), ([0.5], "shape", None),
                  ([1, 0], "value", None)],
    },
    "xor_from_gates": {
        "right": ["a", "A", "(a)", 0, "AND(OR(x1, x2), NAND(x1, x2))"],
        "wrong": [("b", "mistake", "XNOR"), ("c", "mistake", "NAND itself"),
                  ("d", "mistake", "NOR"), ("z", "unreadable", None)],
    },
    "closed_walks_in_a_square": {
        "right": [8, "8", 8.0, np.linalg.matrix_power(
            np.roll(np.eye(4), 1, axis=1) + np.roll(np.eye(4), -1, axis=1), 4)[0, 0]],
        "wrong": [(2, "mistake", "once round"), (16, "mistake", "wherever it ends"),
                  (6, "value", "too small"), (-8, "sign", None)],
    },
    "kahn": {
        "right": [_kahn_readers_way, _kahn_heap,
                  lambda n, edges: md.graph.topological_order(range(n), edges)],
        "wrong": [(ch6._kahn_with_a_stack, "mistake", "newest ready node"),
                  (_kahn_by_indegree, "mistake", "number of inputs"),
                  (_kahn_backwards, "value", "On input"),
                  (lambda n, edges: list(range(n)), "value", "On input")],
    },
    "paths_in_mlp": {
        "right": [150, "150", 3 * 5 * 5 * 2, 150.0],
        "wrong": [(50, "mistake", "number of edges"), (15, "mistake", "counts the units"),
                  (75, "mistake", "either of the 2 outputs"), (151, "value", "too large")],
    },
    "mean_aggregation": {
        "right": [_mean_by_matrices, _mean_by_loops, _mean_tensor],
        "wrong": [(_mean_sum, "mistake", "sum over the node"),
                  (_mean_gcn, "mistake", "symmetric normalisation"),
                  (_mean_without_self, "mistake", "degree + 1"),
                  (_neighbours_only, "value", "On input")],
    },
    "count_equivalent": {
        "right": [_count_prod, _count_loop, _count_float],
        "wrong": [(lambda s: math.prod(math.factorial(n) for n in s[1:-1]), "mistake",
                   "orderings only"),
                  (lambda s: math.prod(math.factorial(n) * 2 ** n for n in s), "mistake",
                   "cannot be renumbered"),
                  (lambda s: sum(math.factorial(n) * 2 ** n for n in s[1:-1]), "mistake",
                   "multiply"),
                  (lambda s: 2 ** sum(s[1:-1]), "factor", "times the right one")],
    },
    "relu_symmetry": {
        "right": ["b", "B", "b)", 1],
        "wrong": [("a", "mistake", "tanh only"), ("c", "mistake", "unit is off"),
                  ("d", "mistake", "triples")],
    },
}
