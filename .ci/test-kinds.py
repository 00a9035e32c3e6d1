#!/usr/bin/env python3
"""Prints how long each kind of test took, from the TRX files of one `dotnet test` run.

The kind is the test project: unit (tests/Summit.Tests.Unit: domain rules, projections, options, contracts, layout
checks), integration (tests/Summit.Tests.Integration: real PostgreSQL, grains on an in-process test cluster, the API on
an in-process Gateway, silo and Gateway processes) and browser (tests/Summit.Tests.Browser: Chromium against a Gateway
process, and the dashboard's vitest suite). Test time is summed per kind (tests of different classes run in parallel,
so the sums can add up to more than the wall time); the wall time is the project's run, from its TRX file."""
import pathlib
import re
import sys
import xml.etree.ElementTree as ET

trx_files = [pathlib.Path(p) for p in sys.argv[1:]]
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}


def kind_of(storage: str) -> str:
    match = re.search(r"summit\.tests\.(\w+)\.dll$", storage.lower())
    return match.group(1) if match else "other"


def seconds(duration: str) -> float:
    h, m, s = duration.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


totals: dict[str, list[float]] = {}
for trx in trx_files:
    root = ET.parse(trx).getroot()
    kinds = {d.get("id"): kind_of(d.get("storage", "")) for d in root.iterfind(".//t:UnitTest", ns)}
    times = root.find("t:Times", ns)
    wall = 0.0
    if times is not None and times.get("start") and times.get("finish"):
        from datetime import datetime
        wall = (datetime.fromisoformat(times.get("finish")) - datetime.fromisoformat(times.get("start"))).total_seconds()
    first_kind = next(iter(set(kinds.values())), "other")
    totals.setdefault(first_kind, [0, 0.0, 0, 0.0])[3] += wall
    for result in root.iterfind(".//t:UnitTestResult", ns):
        kind = kinds.get(result.get("testId"), "other")
        entry = totals.setdefault(kind, [0, 0.0, 0, 0.0])
        entry[0] += 1
        entry[1] += seconds(result.get("duration", "0:0:0"))
        entry[2] += result.get("outcome") != "Passed"

for kind in sorted(totals):
    count, total, failed, wall = totals[kind]
    print(f"  {kind:12} {count:4} tests, {failed} failed, {wall:7.1f} s wall, {total:7.1f} s of test time")
