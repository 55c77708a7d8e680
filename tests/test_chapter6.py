"""Chapter 6 (discrete mathematics): the chapter's central claims hold outside the notebook,
checked through the package and, where the notebook used brute force, by a second method."""

import itertools
import math

import numpy as np
import pytest

import mathdl as md
from mathdl.widgets.perceptron import GATES, Perceptron

# ---------------------------------------------------------------- 6.1 and 6.2

def test_the_digits_have_no_exact_duplicates_so_the_chapter_adds_them():
    X, _ = md.data.load_digits()
    assert len(np.unique(X, axis=0)) == len(X) == 1797


def test_cross_entropy_with_one_hot_rows_is_minus_log_p_of_the_label():
    rng = np.random.default_rng(0)
    logits, labels = rng.standard_normal((7, 10)), rng.integers(0, 10, 7)
    one_hot = (labels[:, None] == np.arange(10)).astype(float)
    by_class = md.nn.cross_entropy(md.tensor(logits), labels).item()
    by_rows = md.nn.cross_entropy(md.tensor(logits), one_hot).item()
    log_p = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    assert by_class == pytest.approx(by_rows) == pytest.approx(-log_p[np.arange(7), labels].mean())


# ---------------------------------------------------------------- 6.3 and 6.4

def _separable_by_linear_program(table, rows):
    """Is there (w, b) with (2t − 1)(w·x + b) ≥ 1 on every row? (an LP feasibility problem)"""
    from scipy.optimize import linprog
    sign = 2 * np.asarray(table) - 1
    A_ub = -sign[:, None] * np.column_stack([rows, np.ones(len(rows))])
    result = linprog(np.zeros(rows.shape[1] + 1), A_ub=A_ub, b_ub=-np.ones(len(rows)),
                     bounds=[(None, None)] * (rows.shape[1] + 1), method="highs")
    return result.status == 0


@pytest.mark.parametrize("n, count", [(1, 4), (2, 14), (3, 104)])
def test_the_counts_of_separable_functions_by_linear_programming(n, count):
    """The notebook counts by a grid of integer weights; a linear program decides each table."""
    rows = np.array(list(itertools.product([0, 1], repeat=n)), dtype=float)
    found = sum(_separable_by_linear_program([(k >> i) & 1 for i in range(2 ** n)], rows)
                for k in range(2 ** 2 ** n))
    assert found == count


def test_xor_and_xnor_are_exactly_the_gates_no_perceptron_computes():
    rows = np.array(list(itertools.product([0, 1], repeat=2)), dtype=float)
    for gate, table in GATES.items():
        assert _separable_by_linear_program(table, rows) == Perceptron(gate).separable


def test_the_perceptron_rule_as_the_notebook_runs_it():
    for gate in GATES:
        p = Perceptron(gate, weights=(0.0, 0.0), bias=0.0)
        for _ in range(12):
            if p.learn() == 0:
                break
        assert (p.history[-1] == 0) == p.separable
        assert len(p.history) <= 6 if p.separable else min(p.history) > 0


def test_a_four_unit_tanh_network_learns_xor():
    corners = np.array(list(itertools.product([0, 1], repeat=2)), dtype=float)
    net = md.nn.MLP([2, 4, 1], activation="tanh", seed=0)
    optimizer = md.optim.Adam(net.parameters(), lr=0.05)
    target = md.tensor([[0.0], [1.0], [1.0], [0.0]])
    for _ in range(400):
        optimizer.zero_grad()
        md.nn.binary_cross_entropy_with_logits(net(md.tensor(corners)), target).backward()
        optimizer.step()
    with md.no_grad():
        assert np.array_equal(net(md.tensor(corners)).data[:, 0] > 0, [False, True, True, False])


# ---------------------------------------------------------------- 6.5

def test_karate_club_counts():
    club = md.data.load_karate_club()
    A = club.adjacency
    assert len(club.edges) == 78 and A.sum() == 156
    degree = A.sum(axis=1)
    assert (degree[33], degree[0], degree[32]) == (17, 16, 12)
    assert np.trace(A @ A @ A) / 6 == 45
    assert (A @ A @ A)[0, 33] == 14


# ---------------------------------------------------------------- 6.6

def _residual_graph():
    x = md.tensor(0.5, requires_grad=True)
    w1, w2 = md.tensor(0.8, requires_grad=True), md.tensor(-1.2, requires_grad=True)
    h1 = (w1 * x).tanh()
    h2 = (w2 * h1).tanh() + h1
    loss = h2 * h2
    graph = md.graph.trace(loss, names={"x": x, "w1": w1, "w2": w2},
                           labels={"h1": h1, "h2": h2, "L": loss})
    return graph, loss, (x, w1, w2)


def test_kahn_on_the_traced_graph_and_the_orders_the_chapter_counts():
    graph, _, _ = _residual_graph()
    nodes = ["x", "w1", "w2"] + [v for v in graph.order if v not in ("x", "w1", "w2")]
    order = md.graph.topological_order(nodes, graph.edges)
    assert order == ["x", "w1", "w2", "a", "h1", "b", "c", "h2", "L"]
    valid = [p for p in itertools.permutations(nodes)
             if all(p.index(u) < p.index(v) for u, v in graph.edges)]
    assert len(valid) == 10                                        # "10 topological orders"


def test_a_reverse_sweep_out_of_topological_order_gets_gradients_behind_h1_wrong():
    """mathdl's own backward rules (graph.Node.backward), applied in a chosen order: a second
    derivation of the notebook's hand-written sweep."""
    graph, loss, (x, w1, w2) = _residual_graph()
    loss.backward()

    def sweep(order):
        grads = {graph.output: 1.0}
        for label in order:
            node = graph.nodes[label]
            for inp, g_in in zip(node.inputs, node.backward(grads.get(label, 0.0))):
                grads[inp] = grads.get(inp, 0.0) + g_in.item()
        return grads

    right = sweep(["L", "h2", "c", "b", "h1", "a"])
    wrong = sweep(["L", "h2", "h1", "c", "b", "a"])
    assert np.isclose(right["w1"], w1.grad) and np.isclose(right["x"], x.grad)
    assert np.isclose(wrong["w2"], w2.grad)
    assert not np.isclose(wrong["w1"], w1.grad) and not np.isclose(wrong["x"], x.grad)


# ---------------------------------------------------------------- 6.7

@pytest.mark.parametrize("depth", [1, 3, 8])
def test_a_residual_chain_has_two_to_the_depth_paths_and_their_sum_is_the_gradient(depth):
    x = md.tensor(0.3, requires_grad=True)
    y = x
    for _ in range(depth):
        y = y + (md.tensor(0.9) * y).tanh()
    y.backward()
    graph = md.graph.trace(y, names={"x": x})
    assert len(graph.edges) == 5 * depth
    # every path from x to y: at each block take the skip (factor 1) or the branch
    # (factor 0.9·tanh'(0.9·y_k)); the sum over all 2^depth choices
    values, v = [], 0.3
    for _ in range(depth):
        values.append(v)
        v = v + np.tanh(0.9 * v)
    branch = [0.9 * (1 - np.tanh(0.9 * v) ** 2) for v in values]
    total = sum(math.prod(b if take else 1.0 for b, take in zip(branch, choice))
                for choice in itertools.product([False, True], repeat=depth))
    assert total == pytest.approx(x.grad, rel=1e-12)


# ---------------------------------------------------------------- 6.8

def test_the_gcn_of_the_chapter_places_30_of_32_members_and_an_mlp_cannot_learn():
    club = md.data.load_karate_club()
    A_hat = md.graph.normalized_adjacency(club.adjacency)
    features, labelled = np.eye(34), np.array([0, 33])
    unlabelled = np.setdiff1d(np.arange(34), labelled)
    gcn1, gcn2 = md.nn.GraphConv(34, 8, seed=0), md.nn.GraphConv(8, 2, seed=1)
    optimizer = md.optim.Adam(gcn1.parameters() + gcn2.parameters(), lr=0.05)
    for _ in range(150):
        optimizer.zero_grad()
        logits = gcn2(gcn1(features, A_hat).tanh(), A_hat)
        md.nn.cross_entropy(logits[labelled], club.labels[labelled]).backward()
        optimizer.step()
    predicted = gcn2(gcn1(features, A_hat).tanh(), A_hat).data.argmax(axis=1)
    wrong = unlabelled[predicted[unlabelled] != club.labels[unlabelled]]
    assert wrong.tolist() == [2, 8]

    perm = np.random.default_rng(3).permutation(34)
    P = np.eye(34)[perm]
    renumbered = md.graph.normalized_adjacency(P @ club.adjacency @ P.T)
    with md.no_grad():
        out = gcn2(gcn1(features, A_hat).tanh(), A_hat).data
        out_p = gcn2(gcn1(P @ features, renumbered).tanh(), renumbered).data
    assert np.allclose(out_p, P @ out, atol=1e-12)

    mlp = md.nn.MLP([34, 8, 2], activation="tanh", seed=0)
    md.nn.cross_entropy(mlp(md.tensor(features))[labelled], club.labels[labelled]).backward()
    rows = np.abs(mlp.layers[0].weight.grad).sum(axis=1)
    assert np.all(rows[unlabelled] == 0)


# ---------------------------------------------------------------- 6.9

def test_permuting_and_sign_flipping_hidden_units_keeps_the_function():
    net = md.nn.MLP([2, 5, 3, 1], activation="tanh", seed=0)
    X = md.tensor(np.random.default_rng(1).standard_normal((20, 2)))
    with md.no_grad():
        before = net(X).data
    first, second = net.layers[0], net.layers[1]
    order, sign = np.array([3, 0, 4, 1, 2]), np.array([1.0, -1.0, -1.0, 1.0, 1.0])
    first.weight.data[...] = (first.weight.data * sign)[:, order]
    first.bias.data[...] = (first.bias.data * sign)[order]
    second.weight.data[...] = (second.weight.data * sign[:, None])[order, :]
    with md.no_grad():
        assert np.allclose(net(X).data, before, atol=1e-12)
    assert math.prod(math.factorial(n) * 2 ** n for n in (8, 8)) == 106_542_032_486_400


# ---------------------------------------------------------------- the exercises' answer keys

from mathdl.exercises import chapter6 as ch6  # noqa: E402

EXERCISES = [name for name in dir(ch6) if isinstance(getattr(ch6, name), md.exercises.Exercise)]


def test_at_least_eight_exercises_a_third_of_them_code():
    assert sorted(EXERCISES) == sorted(ch6.EXERCISES) and len(EXERCISES) >= 8
    kinds = [getattr(ch6, name).checker.expects for name in EXERCISES]
    assert kinds.count("function") * 3 >= len(EXERCISES)


def test_the_notebook_shows_every_exercise_once_with_a_blank_answer():
    from pathlib import Path

    import nbformat
    nb = nbformat.read(Path(__file__).parents[1] / "notebooks" / "06_discrete_math.ipynb", 4)
    shown = [c.source for c in nb.cells if c.cell_type == "code" and "md.exercises.chapter6." in
             c.source and "ex.check(" in c.source]
    assert [s.split("chapter6.")[1].split("\n")[0] for s in shown] == ch6.EXERCISES
    for cell in (c for c in nb.cells if c.cell_type == "code" and c.source in shown):
        text = "".join(o.get("text", "") + str(o.get("data", {}).get("text/plain", ""))
                       for o in cell.outputs)
        assert "No answer yet" in text or "returns nothing yet" in text, cell.source


def _truth(f):
    return [f(a, b) for a, b in itertools.product([0, 1], repeat=2)]


def test_key_symmetric_functions_by_listing_all_256():
    rows = list(itertools.product([0, 1], repeat=3))
    symmetric = 0
    for number in range(256):
        out = {}
        ok = True
        for k, row in enumerate(rows):
            bit = (number >> k) & 1
            ok &= out.setdefault(sum(row), bit) == bit
        symmetric += ok
    assert ch6.symmetric_functions.check(symmetric) and symmetric == 16


def test_key_nor_bias_range_by_scanning_biases_with_the_perceptron():
    works = [b for b in np.round(np.arange(-3, 3.001, 0.01), 2)
             if Perceptron("nor", (-1.0, -1.0), float(b)).correct == 4]
    assert min(works) == 0.01 and max(works) == 1.0        # the interval (0, 1]
    assert ch6.nor_bias_range.check([0, 1])


def test_key_xor_from_gates_by_truth_tables():
    AND, OR = (lambda a, b: a & b), (lambda a, b: a | b)
    NAND, NOR = (lambda a, b: 1 - (a & b)), (lambda a, b: 1 - (a | b))
    options = [lambda a, b: AND(OR(a, b), NAND(a, b)), lambda a, b: OR(AND(a, b), NOR(a, b)),
               lambda a, b: NAND(AND(a, b), OR(a, b)), lambda a, b: AND(NAND(a, b), NOR(a, b))]
    tables = [_truth(f) for f in options]
    assert tables == [[0, 1, 1, 0], [1, 0, 0, 1], _truth(NAND), _truth(NOR)]   # XOR, XNOR, …
    assert ch6.xor_from_gates.check("a") and not ch6.xor_from_gates.check("b")


def test_key_closed_walks_by_listing_walks():
    neighbours = {0: [1, 3], 1: [0, 2], 2: [1, 3], 3: [2, 0]}
    walks = [[0]]
    for _ in range(4):
        walks = [w + [m] for w in walks for m in neighbours[w[-1]]]
    closed = sum(w[-1] == 0 for w in walks)
    assert closed == 8 and len(walks) == 16 and ch6.closed_walks_in_a_square.check(closed)


def test_key_paths_in_mlp_by_kahn_and_path_counting():
    widths = [3, 5, 5, 2]
    units = [(layer, i) for layer, w in enumerate(widths) for i in range(w)]
    edges = [((layer, i), (layer + 1, j)) for layer in range(3) for i in range(widths[layer])
             for j in range(widths[layer + 1])]
    paths = {u: 1 if u[0] == 0 else 0 for u in units}
    for v in md.graph.topological_order(units, edges):
        paths[v] += sum(paths[u] for u, w in edges if w == v)
    total = sum(paths[u] for u in units if u[0] == 3)
    assert total == 150 and len(edges) == 50 and ch6.paths_in_mlp.check(total)


def test_key_kahn_is_the_smallest_first_order_found_by_brute_force():
    for n, edges in ch6._DAGS:
        answer = ch6._kahn(n, edges)
        assert all(answer.index(u) < answer.index(v) for u, v in edges)
        if n <= 6:   # greedy smallest-first = the lexicographically smallest topological order
            orders = [list(p) for p in itertools.permutations(range(n))
                      if all(p.index(u) < p.index(v) for u, v in edges)]
            assert answer == min(orders)


def test_key_mean_aggregation_is_the_mean_over_the_closed_neighbourhood():
    for A, H in ch6._GRAPHS:
        want = np.array([H[[v, *np.flatnonzero(A[v])]].mean(axis=0) for v in range(len(A))])
        assert np.allclose(ch6._mean_aggregation(A, H), want)


def test_key_count_equivalent_by_listing_every_variant_of_a_small_network():
    net = md.nn.MLP([2, 3, 2, 1], activation="tanh", seed=5)
    X = md.tensor(np.random.default_rng(2).standard_normal((30, 2)))
    with md.no_grad():
        reference = net(X).data
    params = [(m.weight.data.copy(), m.bias.data.copy()) for m in net.layers]
    seen = set()
    for p1, s1, p2, s2 in itertools.product(itertools.permutations(range(3)),
                                            itertools.product([1.0, -1.0], repeat=3),
                                            itertools.permutations(range(2)),
                                            itertools.product([1.0, -1.0], repeat=2)):
        (W1, b1), (W2, b2), (W3, b3) = params
        s1, s2, p1, p2 = np.array(s1), np.array(s2), list(p1), list(p2)
        W1n, b1n = (W1 * s1)[:, p1], (b1 * s1)[p1]
        W2n = (W2 * s1[:, None])[p1, :]
        W2n, b2n = (W2n * s2)[:, p2], (b2 * s2)[p2]
        W3n = (W3 * s2[:, None])[p2, :]
        out = np.tanh(np.tanh(X.data @ W1n + b1n) @ W2n + b2n) @ W3n + b3
        assert np.allclose(out, reference, atol=1e-12)
        seen.add(np.concatenate([W1n.ravel(), b1n, W2n.ravel(), b2n, W3n.ravel()]).round(12)
                 .tobytes())
    assert len(seen) == ch6._count_equivalent([2, 3, 2, 1]) == 3 * 2 * 8 * 2 * 4


def test_key_relu_symmetry_only_positive_rescaling_keeps_the_function():
    rng = np.random.default_rng(0)
    W1, b1 = rng.standard_normal((2, 4)), rng.standard_normal(4)
    W2, b2 = rng.standard_normal((4, 1)), rng.standard_normal(1)
    X = rng.standard_normal((200, 2)) * 3

    def f(W1, b1, W2, b2):
        return np.maximum(X @ W1 + b1, 0) @ W2 + b2

    def change(scale_in, scale_out, bias_shift=0.0):    # the options, applied to hidden unit 0
        A, b, C = W1.copy(), b1.copy(), W2.copy()
        A[:, 0] *= scale_in
        b[0] = b[0] * scale_in + bias_shift
        C[0] *= scale_out
        return A, b, C, b2 - bias_shift

    same = [np.allclose(f(*change(*args)), f(W1, b1, W2, b2)) for args in
            [(-1, -1), (3, 1 / 3), (1, 1, 1.0), (3, 1)]]             # options a, b, c, d
    assert same == [False, True, False, False]
    assert ch6.relu_symmetry.check("b")
