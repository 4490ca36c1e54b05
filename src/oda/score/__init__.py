"""Scoring: labels, the expert-rule baseline, the learned model, reasons, and `score.property`."""
