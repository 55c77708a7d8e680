"""Answers a reader might give to each chapter's exercises, and the feedback each must get.

One module per chapter module of ``mathdl.exercises`` (``chapter2.py`` for ``chapter2``), each
with a dict ``CASES``: exercise name -> ``{"right": [...], "wrong": [...]}``.

- ``right``: at least three answers that must pass, written the ways readers write them (for a
  formula, at least one with Unicode such as ``"3x²"`` or ``"σ(x)·(1 − σ(x))"``).
- ``wrong``: at least three ``(answer, kind, phrase)`` rows: a typical mistake, the
  ``Feedback.kind`` it must get, and a phrase its message must contain (or None). Every message
  in the checker's ``mistakes=`` must be reached by one of these rows.

``tests/test_exercise_cases.py`` runs every row, and also hostile answers (code injection,
exponent towers, endless loops, ``sys.exit()`` …) against every exercise.
"""
