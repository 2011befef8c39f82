"""Pure domain code: schemas and formulas over Ibis expressions; no I/O."""
