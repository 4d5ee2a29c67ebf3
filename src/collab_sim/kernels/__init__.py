"""Compiled kernels: a month of the ecosystem, its phases, rules, bottlenecks, remedies."""
