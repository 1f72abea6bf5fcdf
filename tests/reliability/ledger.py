"""Counts of every bad input tried and every fault injected, for docs/reliability.md.

Each check calls `record(section, kind)` once it has passed, so the totals printed at the end
of a run (and written as JSON when LENET_APP_RELIABILITY_LEDGER names a file) are the number
of cases that were really tried and behaved, per kind.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict

SECTIONS = ("bad input", "property-based", "faults", "long runs")

_counts: dict[tuple[str, str], int] = defaultdict(int)


def record(section: str, kind: str, n: int = 1) -> None:
    assert section in SECTIONS, section
    _counts[(section, kind)] += n


def rows() -> list[tuple[str, str, int]]:
    order = {name: i for i, name in enumerate(SECTIONS)}
    return sorted(((s, k, n) for (s, k), n in _counts.items()), key=lambda r: (order[r[0]], r[1]))


def report_lines() -> list[str]:
    lines = []
    for section in SECTIONS:
        entries = [(k, n) for s, k, n in rows() if s == section]
        if not entries:
            continue
        lines.append(f"{section}: {sum(n for _, n in entries)} cases")
        width = max(len(k) for k, _ in entries)
        lines += [f"  {k:<{width}}  {n:>5}" for k, n in entries]
    return lines


def dump_if_asked() -> None:
    target = os.environ.get("LENET_APP_RELIABILITY_LEDGER")
    if target and _counts:
        with open(target, "w", encoding="utf-8") as out:
            json.dump([{"section": s, "kind": k, "count": n} for s, k, n in rows()], out, indent=1)
