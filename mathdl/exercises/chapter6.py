"""Exercises of chapter 6, Discrete mathematics: sets, indicators, logic, graphs, orders, paths,
message passing and symmetry."""

import math

import numpy as np

from ..graph import normalized_adjacency, topological_order
from . import Exercise, choice, code, numeric

partition_or_leak = Exercise(
    "A data set of 1,000 rows is cut into train (700 rows), validation (200) and test (100) by "
    "shuffling the row numbers. Later you find that 30 of the test rows hold images that also "
    "appear, pixel for pixel, in training rows. Which statement is right?",
    check=choice([
        "The cut is not a partition, because train and test intersect.",
        "The cut is a partition of the rows, but the test set leaks: 30% of it was seen in "
        "training.",
        "Nothing is wrong: the test rows are all different rows from the training rows.",
        "The cut is a partition, and the leak touches 3% of the test set.",
    ], answer="b", why={
        "a": "The row numbers are disjoint and cover all 1,000 rows, so the cut is a partition "
             "of the rows; what intersects is the sets of images, the rows' contents.",
        "b": "Right: the parts are disjoint as rows, but the model saw 30 of the 100 test images "
             "(with their labels) during training.",
        "c": "Different rows, same pictures: a model that memorised those 30 training images "
             "answers them correctly without having learned anything.",
        "d": "30 of the 100 test rows is 30% of the test set (it is 3% of the whole data set).",
    }),
    hint="Ask two questions separately: do the *row numbers* of the parts overlap, and do the "
         "*images* in them overlap?",
    solution="(b). The row numbers form a partition (disjoint, covering, non-empty), but the "
             "intersection of the parts' *contents* is 30 images: 30% of the test set is leaked.",
)


def _symmetric_difference(a, b):
    return a + b - 2 * a * b


_rng = np.random.default_rng(6)
_ONES, _ZEROS = np.ones(10, dtype=int), np.zeros(10, dtype=int)
_SET_PAIRS = [(_rng.integers(0, 2, 10), _rng.integers(0, 2, 10)) for _ in range(4)] + [
    (_ONES, _ONES), (_ZEROS, _ONES)]

symmetric_difference = Exercise(
    "Two sets A and B of the ten digit classes are given by their indicator vectors a and b "
    "(numpy arrays of 0s and 1s, one entry per class). Write symmetric_difference(a, b) "
    "returning the indicator vector of A △ B, the classes in exactly one of the two sets, with "
    "arithmetic on a and b only.",
    check=code(_symmetric_difference, _SET_PAIRS, mistakes=[
        (lambda a, b: a + b - a * b, "That is the union A ∪ B: a class in both sets must give 0 "
                                     "here."),
        (lambda a, b: a * b, "That is the intersection A ∩ B, the classes in both sets."),
        (lambda a, b: a + b, "A class in both sets gives 2 here. Subtract what the two sets "
                             "share, once for each set."),
    ]),
    hint="A class is in A △ B when it is in A ∪ B but not in A ∩ B. Write both as arithmetic "
         "(§6.2) and subtract.",
    solution="$\\mathbb 1_{A \\triangle B} = \\mathbb 1_{A\\cup B} - \\mathbb 1_{A\\cap B} = "
             "a + b - 2ab$, the XOR polynomial of §6.3: `return a + b - 2 * a * b`.",
)

symmetric_functions = Exercise(
    "A Boolean function of three inputs is symmetric if its output depends only on how many of "
    "its inputs are 1 (AND, OR and XOR of three inputs are). How many symmetric Boolean "
    "functions of three inputs are there?",
    check=numeric(16, rtol=0, atol=0, mistakes=[
        (256, "256 counts all functions of three inputs. A symmetric one is fixed by fewer "
              "output bits: one for each possible number of 1s."),
        (8, "8 = 2³ is the number of rows of the truth table; a symmetric function needs one "
            "output for each possible number of 1s, not for each row."),
        (4, "4 is how many counts of 1s there are (0, 1, 2 or 3); each of them may get "
            "output 0 or 1, independently."),
    ]),
    hint="List the possible numbers of 1s among three inputs. A symmetric function chooses an "
         "output, 0 or 1, for each of them.",
    solution="The number of 1s is 0, 1, 2 or 3, and each gets its own output bit: $2^4 = 16$.",
)

nor_bias_range = Exercise(
    "With both weights w1 = w2 = -1, the perceptron 1[w1·x1 + w2·x2 + b > 0] computes NOR for "
    "every bias b in an interval. Give its two ends as [lowest, highest] (an end is given even "
    "if it is not itself allowed). Try it in the widget first.",
    check=numeric([0.0, 1.0], mistakes=[
        ([1.0, 2.0], "That is the interval for NAND with these weights: (0, 1) and (1, 0) would "
                     "output 1."),
        ([-1.0, 0.0], "That is OR's interval with weights +1. With weights -1 every score "
                      "changes sign, and so does the interval."),
        ([0.0, 2.0], "For b above 1, the inputs (0, 1) and (1, 0) score -1 + b > 0 and give 1, "
                     "but NOR must give 0 there."),
    ]),
    hint="Write the four inequalities: the score at (0, 0) is $b$ and must be $> 0$; at (0, 1) "
         "and (1, 0) it is $-1 + b$ and must be $\\le 0$; at (1, 1) it is $-2 + b$.",
    solution="$b > 0$ and $-1 + b \\le 0$ (the last, $-2 + b \\le 0$, follows), so "
             "$b \\in (0, 1]$: the ends are [0, 1].",
)

xor_from_gates = Exercise(
    "Which network of two-input gates computes XOR(x1, x2)?",
    check=choice([
        "AND(OR(x1, x2), NAND(x1, x2))",
        "OR(AND(x1, x2), NOR(x1, x2))",
        "NAND(AND(x1, x2), OR(x1, x2))",
        "AND(NAND(x1, x2), NOR(x1, x2))",
    ], answer="a", why={
        "a": "Right: OR says 'at least one', NAND says 'not both'; both together is XOR.",
        "b": "That is 1 when both inputs are 1 or both are 0: XNOR, the opposite of XOR.",
        "c": "At (0, 0) AND and OR are both 0, so NAND gives 1, but XOR(0, 0) = 0. This network "
             "is NAND itself.",
        "d": "NOR is 1 only at (0, 0), and NAND is 1 there too: the network is NOR.",
    }),
    hint="Evaluate each network on the four rows 00, 01, 10, 11 and compare with 0, 1, 1, 0.",
    solution="(a): $x_1 \\oplus x_2 = (x_1 \\vee x_2) \\wedge \\neg(x_1 \\wedge x_2)$, the hidden "
             "layer of §6.4.",
)

closed_walks_in_a_square = Exercise(
    "Four nodes form a square 0 - 1 - 2 - 3 - 0, each joined to its two neighbours. How many "
    "walks of length 4 start and end at node 0? (A walk may repeat nodes and edges.)",
    check=numeric(8, rtol=0, atol=0, mistakes=[
        (2, "Those are the two walks once round the square. A walk may also go back and forth "
            "along an edge, like 0 - 1 - 0 - 1 - 0."),
        (16, "16 = 2⁴ counts every walk of length 4 from node 0, wherever it ends; only those "
             "ending at node 0 count."),
    ]),
    hint="Write the 4 × 4 adjacency matrix A and compute $(A^4)_{00}$, or $A^2$ first: "
         "$(A^4)_{00} = \\sum_m (A^2)_{0m} (A^2)_{m0}$.",
    solution="$A^2$ has $(A^2)_{00} = (A^2)_{02} = 2$ and zeros at the neighbours, so "
             "$(A^4)_{00} = 2\\cdot 2 + 2 \\cdot 2 = 8$.",
)


def _kahn(n, edges):
    return topological_order(range(n), [tuple(e) for e in edges])


def _kahn_with_a_stack(n, edges):
    """Kahn's algorithm with the ready nodes on a stack (newest first): topological, but not
    the smallest-first order the exercise asks for."""
    indegree = [0] * n
    for _, v in edges:
        indegree[v] += 1
    ready, order = [v for v in range(n) if indegree[v] == 0], []
    while ready:
        u = ready.pop()
        order.append(u)
        for a, v in edges:
            if a == u:
                indegree[v] -= 1
                if indegree[v] == 0:
                    ready.append(v)
    return order


def _sorted_by_indegree(n, edges):
    indegree = [0] * n
    for _, v in edges:
        indegree[v] += 1
    return sorted(range(n), key=lambda v: indegree[v])


_DAGS = [
    (4, [(0, 1), (0, 2), (1, 3), (2, 3)]),
    (6, [(5, 0), (4, 0), (5, 2), (2, 3), (3, 1), (4, 1)]),
    (9, [(1, 3), (0, 3), (3, 4), (2, 5), (4, 5), (5, 6), (6, 7), (4, 7), (7, 8), (7, 8)]),
    (5, [(4, 3), (3, 2), (2, 1), (1, 0)]),
    (5, [(0, 4), (3, 1), (1, 0), (2, 1)]),
    (4, []),
]

kahn = Exercise(
    "Write kahn(n, edges). The nodes are 0, 1, ..., n - 1 and edges is a list of pairs (u, v), "
    "meaning u is an input of v; the graph is a DAG, and a pair may appear twice (an input used "
    "twice). Return a topological order as a list, found by Kahn's algorithm: whenever several "
    "nodes are ready, take the one with the smallest number first.",
    check=code(_kahn, _DAGS, mistakes=[
        (_kahn_with_a_stack, "Your order is topological, but you take the newest ready node "
                             "first (a stack). Take the smallest ready node: keep the ready list "
                             "sorted, or use min()."),
        (_sorted_by_indegree, "Sorting by the number of inputs is not enough: a node with one "
                              "input may wait for a node with two. Remove each emitted node and "
                              "update the counts as you go."),
    ]),
    hint="Count the in-degrees. Keep a list of ready nodes (in-degree 0). Repeatedly take the "
         "smallest ready node, append it to the order, and decrease the in-degree of every node it "
         "feeds (once per edge); a node whose count reaches 0 becomes ready.",
    solution="```python\ndef kahn(n, edges):\n    indegree = [0] * n\n    for u, v in edges:\n"
             "        indegree[v] += 1\n    ready = [v for v in range(n) if indegree[v] == 0]\n"
             "    order = []\n    while ready:\n        u = min(ready)\n        ready.remove(u)\n"
             "        order.append(u)\n        for a, v in edges:\n            if a == u:\n"
             "                indegree[v] -= 1\n                if indegree[v] == 0:\n"
             "                    ready.append(v)\n    return order\n```\n"
             "`mathdl.graph.kahn_steps` is the same algorithm with a heap for the ready list.",
)

paths_in_mlp = Exercise(
    "An MLP with layer widths [3, 5, 5, 2], seen unit by unit (one edge for each weight, biases "
    "left out), has how many paths from an input unit to an output unit?",
    check=numeric(150, rtol=0, atol=0, mistakes=[
        (50, "50 is the number of edges (weights): 3·5 + 5·5 + 5·2. A path picks one unit in "
             "every layer, so the counts multiply."),
        (15, "15 = 3 + 5 + 5 + 2 counts the units. A path picks one unit in every layer, so the "
             "counts multiply."),
        (75, "75 = 3·5·5 stops at the last hidden layer: each of those paths can end at either "
             "of the 2 outputs."),
    ]),
    hint="A path is a choice of one input unit, one unit in each hidden layer and one output "
         "unit, and every such choice is a path (consecutive layers are fully connected).",
    solution="$3 \\cdot 5 \\cdot 5 \\cdot 2 = 150$ paths, over only $15 + 25 + 10 = 50$ edges.",
)


def _mean_aggregation(A, H):
    A_tilde = A + np.eye(len(A))
    return A_tilde @ H / A_tilde.sum(axis=1, keepdims=True)


_path = np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]], dtype=float)
_star = np.zeros((5, 5))
_star[0, 1:] = _star[1:, 0] = 1
_square = np.roll(np.eye(4), 1, axis=1) + np.roll(np.eye(4), -1, axis=1)
_GRAPHS = [(_path, _rng.standard_normal((3, 2))), (_star, _rng.standard_normal((5, 3))),
           (_square, _rng.standard_normal((4, 1))),
           (np.zeros((2, 2)), _rng.standard_normal((2, 2)))]

mean_aggregation = Exercise(
    "Another common message passing takes a plain mean: row v of the result is the average of "
    "H[v] and of H[u] for every neighbour u of v. Write mean_aggregation(A, H) for a symmetric "
    "0/1 adjacency matrix A without self-loops and features H (one row per node), with matrix "
    "algebra: D̃⁻¹ (A + I) H, where D̃ holds the degrees of A + I.",
    check=code(_mean_aggregation, _GRAPHS, mistakes=[
        (lambda A, H: (A + np.eye(len(A))) @ H, "That is the sum over the node and its "
                                                "neighbours; divide each row by d̃ = degree + 1 "
                                                "to get the mean."),
        (lambda A, H: normalized_adjacency(A) @ H, "That is the GCN's symmetric normalisation "
                                                   "D̃^(-1/2) (A + I) D̃^(-1/2); the plain mean "
                                                   "divides row v by d̃_v alone."),
        (lambda A, H: (A + np.eye(len(A))) @ H / A.sum(axis=1, keepdims=True).clip(1),
         "Divide by the degree of A + I (count the node itself): d̃ = degree + 1."),
    ]),
    hint="`A + np.eye(len(A))` adds the self-loops; its row sums are d̃. Dividing a matrix by a "
         "column of row sums (`keepdims=True`) divides each row by its own number.",
    solution="```python\ndef mean_aggregation(A, H):\n    A_tilde = A + np.eye(len(A))\n"
             "    return A_tilde @ H / A_tilde.sum(axis=1, keepdims=True)\n```\n"
             "Every row of $\\tilde D^{-1}(A + I)$ sums to 1, so each node gets an average; an "
             "isolated node keeps its own features.",
)


def _count_equivalent(sizes):
    return math.prod(math.factorial(n) * 2 ** n for n in sizes[1:-1])


count_equivalent = Exercise(
    "Write count_equivalent(sizes): for a tanh MLP with layer widths sizes (inputs first, "
    "outputs last, as in md.nn.MLP([2, 8, 8, 1])), return how many weight settings reordering "
    "and sign-flipping the hidden units give for a generic network, the original included.",
    check=code(_count_equivalent, [[2, 3, 1], [4, 6, 3, 1], [10, 5, 5, 5, 2], [3, 1],
                                   [8, 64, 10]], rtol=1e-9, mistakes=[
        (lambda sizes: math.prod(math.factorial(n) for n in sizes[1:-1]),
         "That counts the orderings only. tanh is odd, so each hidden unit can also be "
         "sign-flipped: another factor 2 per unit."),
        (lambda sizes: math.prod(math.factorial(n) * 2 ** n for n in sizes),
         "The input and output units cannot be renumbered: each one means a particular feature "
         "or answer. Only hidden layers count."),
        (lambda sizes: sum(math.factorial(n) * 2 ** n for n in sizes[1:-1]),
         "The layers can be rearranged independently of each other, so their counts multiply, "
         "not add."),
    ]),
    hint="For each hidden layer of width n: n! orderings times 2ⁿ sign patterns; the layers are "
         "independent. `math.factorial` and `math.prod` help.",
    solution="```python\ndef count_equivalent(sizes):\n"
             "    return math.prod(math.factorial(n) * 2 ** n for n in sizes[1:-1])\n```\n"
             "For [2, 3, 1] that is 3!·2³ = 48.",
)

relu_symmetry = Exercise(
    "ReLU is not odd, so a ReLU unit cannot be sign-flipped. Which change to one hidden unit of "
    "a ReLU network leaves the network's function unchanged, for every input?",
    check=choice([
        "Multiply its incoming weights and bias by -1, and its outgoing weights by -1.",
        "Multiply its incoming weights and bias by 3, and its outgoing weights by 1/3.",
        "Add 1 to its bias and subtract 1 from the bias of every unit it feeds.",
        "Multiply its incoming weights and bias by 3, and change nothing else.",
    ], answer="b", why={
        "a": "relu(-z) is not -relu(z): at z = 2 it gives 0, not -2. That works for tanh only.",
        "b": "Right: relu(3z) = 3·relu(z) for a positive factor, and the 1/3 undoes it. A "
             "continuous family of twins, one for every c > 0.",
        "c": "For z < 0 the unit outputs 0 either way, but the next units' biases dropped by 1: "
             "the function changes wherever the unit is off.",
        "d": "relu(3z) = 3·relu(z): the unit's output triples, and nothing downstream undoes it.",
    }),
    hint="Which of these equations holds for every z: relu(-z) = -relu(z), relu(cz) = c·relu(z) "
         "for c > 0?",
    solution="(b). ReLU is *positively homogeneous*, relu(cz) = c·relu(z) for c > 0, so scaling "
             "a unit's input side by c and its output side by 1/c changes no output.",
)

EXERCISES = ["partition_or_leak", "symmetric_difference", "symmetric_functions",
             "nor_bias_range", "xor_from_gates", "closed_walks_in_a_square", "kahn",
             "paths_in_mlp", "mean_aggregation", "count_equivalent", "relu_symmetry"]
