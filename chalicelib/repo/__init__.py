"""Data access: the SQL of one table family per module, every query parameterised."""
