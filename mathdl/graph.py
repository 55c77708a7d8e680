"""Computational graphs as plain data: trace, topological order, layered layout.

A graph here is a list of nodes (any hashable names) and a list of edges ``(u, v)`` meaning
"u is an input of v". Only ``trace`` touches mathdl tensors; the rest is plain Python, so the
same functions serve the chain-rule widget (a traced mathdl computation) and the discrete-math
chapter (Kahn's algorithm on any DAG).

    g = trace(loss, names={"a": a, "b": b})
    g.order             # labels in topological order, inputs first
    g.edges             # [(input label, output label), ...]
    layout(g.order, g.edges)   # {label: (x, y)} for drawing left to right
"""

import heapq
from dataclasses import dataclass, field

from .tensor import topological_order as tensor_order


def kahn_steps(nodes, edges):
    """Kahn's algorithm one node at a time: yields ``(node, ready)`` where ``ready`` lists
    the nodes whose inputs are all done after ``node`` is emitted.

    Among ready nodes the one listed first in ``nodes`` goes first, so the order is
    deterministic. Raises ValueError if the edges contain a cycle.
    """
    nodes = list(nodes)
    index = {n: i for i, n in enumerate(nodes)}
    if len(index) != len(nodes):
        raise ValueError("kahn_steps: node names must be unique.")
    indegree = dict.fromkeys(nodes, 0)
    children = {n: [] for n in nodes}
    for u, v in edges:
        if u not in index or v not in index:
            raise ValueError(f"kahn_steps: edge ({u!r}, {v!r}) names a node not in the node list.")
        indegree[v] += 1
        children[u].append(v)
    ready = [index[n] for n in nodes if indegree[n] == 0]
    heapq.heapify(ready)
    emitted = 0
    while ready:
        node = nodes[heapq.heappop(ready)]
        emitted += 1
        for child in children[node]:
            indegree[child] -= 1
            if indegree[child] == 0:
                heapq.heappush(ready, index[child])
        yield node, [nodes[i] for i in sorted(ready)]
    if emitted != len(nodes):
        stuck = [n for n in nodes if indegree[n] > 0]
        raise ValueError(f"the graph has a cycle through {stuck}, so it has no topological order.")


def topological_order(nodes, edges):
    """Nodes ordered so every edge ``(u, v)`` has u before v (Kahn's algorithm, iterative)."""
    return [node for node, _ in kahn_steps(nodes, edges)]


def layers(nodes, edges):
    """Column of each node for a left-to-right drawing: {node: int}.

    An inner node sits one column right of its deepest input (longest path); an input with
    no inputs of its own sits just left of its first consumer, so inputs spread out along
    the graph instead of piling up in column 0.
    """
    order = topological_order(nodes, edges)
    parents = {n: [] for n in order}
    children = {n: [] for n in order}
    for u, v in edges:
        parents[v].append(u)
        children[u].append(v)
    col = {}
    for n in order:
        inner = [col[p] for p in parents[n] if parents[p]]   # inputs that are results themselves
        col[n] = 1 + max(inner, default=-1) if parents[n] else 0
    for n in order:
        if not parents[n] and children[n]:
            col[n] = min(col[c] for c in children[n]) - 1
    lowest = min(col.values(), default=0)
    return {n: c - lowest for n, c in col.items()}


def layout(nodes, edges, sweeps=4):
    """Positions {node: (x, y)} for drawing the DAG left to right.

    x is the node's column (see ``layers``); within a column nodes are ordered by the mean
    position of their neighbours (the barycentre heuristic, a few sweeps each way), which
    removes most edge crossings, then spaced one unit apart and centred on y = 0.
    """
    col = layers(nodes, edges)
    columns = {}
    for n in topological_order(nodes, edges):
        columns.setdefault(col[n], []).append(n)
    nbrs = {n: [] for n in col}
    for u, v in edges:
        nbrs[u].append(v)
        nbrs[v].append(u)
    rank = {n: i for c in columns.values() for i, n in enumerate(c)}

    def ypos(n):
        c = columns[col[n]]
        return rank[n] - (len(c) - 1) / 2

    keys = sorted(columns)
    for sweep in range(2 * sweeps):
        for k in keys if sweep % 2 == 0 else reversed(keys):
            c = columns[k]
            bary = {n: (sum(ypos(m) for m in nbrs[n]) / len(nbrs[n]) if nbrs[n] else ypos(n))
                    for n in c}
            c.sort(key=lambda n: (bary[n], rank[n]))
            rank.update({n: i for i, n in enumerate(c)})
    return {n: (float(col[n]), 0.0 - ypos(n)) for n in col}


@dataclass
class Node:
    """One value in a traced computation."""
    label: str                  # "a", "b" for named inputs; "c", "d", ... for results
    tensor: object              # the mathdl Tensor itself
    op: str = "input"           # "input", "const" or the Function's class name ("Mul", ...)
    symbol: str = ""            # short operator label ("+", "*", "tanh"); "" for leaves
    inputs: list = field(default_factory=list)  # labels of the inputs, in argument order

    @property
    def is_leaf(self):
        return self.op in ("input", "const")

    def backward(self, g):
        """A result's own step of the chain rule (the ``backward`` of the Function that made it,
        ops.py): given g = ∂out/∂node, the Tensors g · ∂node/∂input, one per input, in order."""
        from .tensor import no_grad, tensor
        with no_grad():
            return list(self.tensor._ctx.backward(tensor(self.tensor.data * 0 + g)))


@dataclass
class Graph:
    nodes: dict                 # label -> Node, in topological order
    edges: list                 # (input label, output label), one per use of an input
    output: str                 # label of the traced result

    @property
    def order(self):
        return list(self.nodes)


def _fresh_labels(taken):
    """Yield short labels not in ``taken``: c, d, ... z, then v1, v2, ..."""
    for ch in "abcdefghijklmnopqrstuvwxyz":
        if ch not in taken:
            yield ch
    i = 1
    while True:
        if f"v{i}" not in taken:
            yield f"v{i}"
        i += 1


def trace(output, names=None, labels=None):
    """The ``Graph`` of a mathdl result: every tensor it was computed from, through ``grad_fn``.

    ``names`` maps input labels to the leaf tensors they name; other leaves are constants,
    labelled by their value. ``labels`` optionally maps labels to inner result tensors
    (e.g. ``{"h1": h1}``); remaining results get fresh letters in topological order, which is
    backward's own (``mathdl.tensor.topological_order``, asked to keep the constants too).
    """
    named = {id(t): k for k, t in (names or {}).items()}
    named.update({id(t): k for k, t in (labels or {}).items()})
    fresh = _fresh_labels(set(named.values()))
    label_of, nodes, repeats = {}, {}, {}
    for t in tensor_order([output], constants=True):
        fn = t.grad_fn
        if fn is None:
            if id(t) in named:
                label, op = named[id(t)], "input"
            else:
                label, op = _const_label(t, nodes, repeats), "const"
        else:
            label, op = named.get(id(t)) or next(fresh), type(fn).__name__
        label_of[id(t)] = label
        nodes[label] = Node(label, t, op, fn.symbol if fn else "",
                            [label_of[id(x)] for x in (fn.inputs if fn else ())])
    edges = [(u, n.label) for n in nodes.values() for u in n.inputs]
    return Graph(nodes, edges, label_of[id(output)])


def _const_label(t, taken, repeats):
    """A constant leaf's label is its value ("1", "2.5"), made unique ("1#2") if it repeats."""
    try:
        text = f"{float(t.data):g}"
    except (TypeError, ValueError):
        text = f"const{tuple(getattr(t, 'shape', ()))}"
    label = text
    while label in taken:
        repeats[text] = repeats.get(text, 1) + 1
        label = f"{text}#{repeats[text]}"
    return label


def normalized_adjacency(A):
    """Â = D̃^(-1/2) (A + I) D̃^(-1/2), the propagation matrix of a graph convolution (Kipf &
    Welling, 2017), where D̃ is the diagonal matrix of the degrees (row sums) of A + I.

    Entry by entry, Âᵤᵥ = (A + I)ᵤᵥ / √(d̃ᵤ d̃ᵥ): adding I lets every node keep its own features,
    and dividing by both degrees keeps the scale of Â H the same at busy and quiet nodes (Â's
    eigenvalues lie in (-1, 1]). A is numpy-like: a square, symmetric (undirected graph; the
    symmetric normalisation is defined for those), non-negative matrix of edge weights (0/1 for a
    plain graph); self-loops already in A add to the I. Every d̃ ≥ 1, so isolated nodes are fine.
    Returns a new float numpy array.
    """
    import numpy as np  # here only: the rest of this file is plain Python

    from .checks import array

    A = array("normalized_adjacency: A", A, low=0)
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ValueError(f"normalized_adjacency: A must be a square matrix (nodes × nodes), got "
                         f"shape {A.shape}.")
    if not np.allclose(A, A.T, rtol=0, atol=1e-12):
        i, j = (int(k) for k in np.argwhere(np.abs(A - A.T) > 1e-12)[0])
        raise ValueError(f"normalized_adjacency: A must be symmetric (an undirected graph), but "
                         f"A[{i}, {j}] = {A[i, j]:g} and A[{j}, {i}] = {A[j, i]:g}.")
    A_tilde = A + np.eye(len(A))
    scale = 1 / np.sqrt(A_tilde.sum(axis=1))         # d̃^(-1/2), one number per node
    return scale[:, None] * A_tilde * scale[None, :]
