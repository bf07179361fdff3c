"""Tools for the local stack, the tests and the benchmarks. Never shipped to Lambda."""
