"""Authenticity: fake-follower estimates, creator-level fraud signals, audience quality 0-100.

- ``followers``: per-follower P(fake) from profile counts (transparent rules default) and the
  creator's fake share with a confidence interval;
- ``model``: the trainable gradient-boosting model with calibrated probabilities;
- ``comments``: generic/duplicated comments and engagement pods from the commenter graph;
- ``signals``: one pure function per creator-level signal, thresholds from the settings;
- ``quality``: the 0-100 score, its verdict and its reasons with evidence;
- ``expressions``: Ibis expressions for population norms and following changes.

Formulas, weights and thresholds: ``docs/authenticity.md``.
"""
