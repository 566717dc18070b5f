"""The citizen scorecard: survivor collectives rate how public offices answered them.

models (tables) -> records and imports (writes) -> counts (a period's sums) -> tables and
protect (what may be shown) -> charts and brief (pages, PDF, CSV) -> blueprint (routes).
"""
