"""mathdl.graph: tracing, Kahn's topological order and the left-to-right layout."""

import itertools
import random

import pytest

import mathdl as md
from mathdl.graph import kahn_steps, layers, layout, topological_order, trace

DIAMOND = ("a", "b", "c", "d", "e"), [("a", "c"), ("b", "c"), ("b", "d"), ("c", "e"), ("d", "e")]


def _respects(order, edges):
    where = {n: i for i, n in enumerate(order)}
    return all(where[u] < where[v] for u, v in edges)


def test_topological_order_of_a_diamond_and_kahn_steps():
    nodes, edges = DIAMOND
    assert topological_order(nodes, edges) == ["a", "b", "c", "d", "e"]
    steps = list(kahn_steps(nodes, edges))
    assert [n for n, _ in steps] == ["a", "b", "c", "d", "e"]
    assert steps[1] == ("b", ["c", "d"])      # b frees both of its consumers
    assert steps[-1] == ("e", [])


def test_ties_follow_the_node_list_order():
    assert topological_order(["z", "y", "x"], []) == ["z", "y", "x"]
    assert topological_order(["x", "y", "z"], [("z", "x")]) == ["y", "z", "x"]


@pytest.mark.parametrize("seed", range(20))
def test_random_dags_are_ordered_and_every_node_appears_once(seed):
    rng = random.Random(seed)
    n = rng.randint(1, 30)
    hidden = list(range(n))
    rng.shuffle(hidden)                       # a secret order; edges only go forward in it
    edges = [(hidden[i], hidden[j]) for i, j in itertools.combinations(range(n), 2)
             if rng.random() < 0.2]
    nodes = sorted(hidden)
    order = topological_order(nodes, edges)
    assert sorted(order) == nodes and _respects(order, edges)
    pos = layout(nodes, edges)
    assert all(pos[u][0] < pos[v][0] for u, v in edges)   # every edge points right
    assert len(set(pos.values())) == n                    # no two nodes on one spot


def test_a_cycle_is_one_clear_error():
    with pytest.raises(ValueError, match="cycle"):
        topological_order("abc", [("a", "b"), ("b", "c"), ("c", "b")])
    with pytest.raises(ValueError, match="not in the node list"):
        topological_order("ab", [("a", "z")])
    with pytest.raises(ValueError, match="unique"):
        topological_order("aa", [])


def test_layers_put_inputs_just_before_their_first_use():
    col = layers(["x", "w", "m", "b", "z"], [("x", "m"), ("w", "m"), ("m", "z"), ("b", "z")])
    assert col == {"x": 0, "w": 0, "m": 1, "b": 1, "z": 2}


def test_trace_of_a_b_product_labels_and_edges():
    a, b = md.tensor(2.0, requires_grad=True), md.tensor(1.0, requires_grad=True)
    g = trace((a + b) * (b + 1), names={"a": a, "b": b})
    assert [k for k, n in g.nodes.items() if n.op != "const"] == ["a", "b", "c", "d", "e"]
    assert g.output == "e"
    assert g.nodes["c"].op == "Add" and g.nodes["c"].inputs == ["a", "b"]
    assert g.nodes["e"].symbol == "*" and g.nodes["e"].inputs == ["c", "d"]
    assert g.nodes["d"].inputs[0] == "b" and g.nodes["1"].op == "const"
    assert _respects(g.order, g.edges)
    assert [float(g.nodes[k].tensor.data) for k in "cde"] == [3.0, 2.0, 6.0]


def test_trace_uses_given_inner_labels_and_counts_repeated_uses():
    x = md.tensor(0.5, requires_grad=True)
    h = x.tanh()
    y = h * h
    g = trace(y, names={"x": x}, labels={"h": h, "y": y})
    assert g.order == ["x", "h", "y"] and g.edges == [("x", "h"), ("h", "y"), ("h", "y")]


def test_trace_of_a_100000_node_chain_needs_no_recursion():
    x = md.tensor(1.0, requires_grad=True)
    t = x
    for _ in range(100_000):
        t = t * 1.0
    g = trace(t, names={"x": x})
    ops = [n for n in g.nodes.values() if n.op == "Mul"]
    assert len(ops) == 100_000 and g.order[0] == "x"


# ---- normalized adjacency (graph convolutions) -------------------------------------------------
def test_normalized_adjacency_of_a_path_by_hand():
    import numpy as np

    from mathdl.graph import normalized_adjacency
    A = np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]])          # 0 - 1 - 2; degrees of A + I: 2, 3, 2
    expected = np.array([[1 / 2, 1 / np.sqrt(6), 0],
                         [1 / np.sqrt(6), 1 / 3, 1 / np.sqrt(6)],
                         [0, 1 / np.sqrt(6), 1 / 2]])
    out = normalized_adjacency(A)
    assert isinstance(out, np.ndarray) and out.dtype == np.float64
    np.testing.assert_allclose(out, expected, rtol=1e-15)
    np.testing.assert_allclose(normalized_adjacency(np.zeros((2, 2))), np.eye(2))  # isolated nodes


def test_normalized_adjacency_is_symmetric_with_eigenvalues_in_minus_one_one():
    import numpy as np

    from mathdl.graph import normalized_adjacency
    r = np.random.default_rng(0)
    for n in (1, 4, 9):
        W = np.triu(r.random((n, n)) * (r.random((n, n)) < 0.5), 1)   # weighted edges
        A = W + W.T
        A_hat = normalized_adjacency(A)
        D = np.diag(1 / np.sqrt(A.sum(axis=1) + 1))
        np.testing.assert_allclose(A_hat, D @ (A + np.eye(n)) @ D, rtol=1e-14)    # matrix form
        eig = np.linalg.eigvalsh(A_hat)
        assert np.all(eig > -1) and np.all(eig <= 1 + 1e-12)
        assert eig[-1] == pytest.approx(1.0)       # eigenvector √d̃: Â √d̃ = √d̃


@pytest.mark.parametrize("A, message", [
    ([[0, 1], [0, 0]], r"A must be symmetric \(an undirected graph\), but A\[0, 1\] = 1 and "
                       r"A\[1, 0\] = 0"),
    ([[0, -1], [-1, 0]], r"A must hold finite numbers in \[0, ∞\), but entry \(0, 1\) is -1"),
    ([1, 2, 3], r"A must be a square matrix \(nodes × nodes\), got shape \(3,\)"),
    ([[0, 1, 1], [1, 0, 1]], r"A must be a square matrix .* got shape \(2, 3\)"),
    ([["a"]], "A must be numbers"),
])
def test_normalized_adjacency_refuses_bad_matrices_with_one_sentence(A, message):
    from mathdl.graph import normalized_adjacency
    with pytest.raises(ValueError, match=f"^normalized_adjacency: {message}"):
        normalized_adjacency(A)
