"""Planning a portfolio: the request, its candidates and their figures, the gates a creator
passes, the solve, the typed result, the same-budget comparisons (the ranked top and one macro
creator, in words), the files a plan is written to, and the pricing stage."""
