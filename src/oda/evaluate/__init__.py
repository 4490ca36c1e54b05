"""Evaluation: hit rates, backtests, the exploration estimate, fairness, and the transparency record."""
