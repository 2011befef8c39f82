"""Scoring: the SQL metrics, then each capability's stage, stored in creator_scores.

The stage protocol lives in ``stage`` (a leaf); the default pipeline is assembled in
``microscout.bootstrap``, the composition root.
"""
