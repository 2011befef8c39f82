"""Planning a portfolio: the request, its candidates and their figures, the solve, the typed
result, the same-budget comparisons, the files a plan is written to, and the pricing stage."""
