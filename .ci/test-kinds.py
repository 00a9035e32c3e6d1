#!/usr/bin/env python3
"""Prints how long each kind of test took, from the TRX files of one `dotnet test` run.

Kinds: browser (Summit.Tests.Browser: Chromium against a real Gateway), postgres (test classes that need PostgreSQL:
grains on an in-process test cluster, the API on an in-process Gateway, stores, silo and Gateway processes; PostgreSQL
is the only store), unit (the rest: domain rules, projections, options, layout checks). Test time is summed per kind (tests of different classes run in parallel, so the sums
can add up to more than the wall time)."""
import pathlib
import re
import sys
import xml.etree.ElementTree as ET

tests_root = pathlib.Path(sys.argv[1])
trx_files = [pathlib.Path(p) for p in sys.argv[2:]]
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}

postgres_classes = set()
for source in tests_root.rglob("*.cs"):
    if "/obj/" in str(source) or "/bin/" in str(source):
        continue
    text = source.read_text(encoding="utf-8")
    if re.search(r"\b(PostgresServer|PostgresCollection|ClientModeCluster|ClusterFixture|GatewayFixture|GatewayFactory|"
                 r"TestClusterBuilder|ProcessHost|ProcessCluster|\w+GatewayFixture)\b",
                 text):
        for match in re.finditer(r"\bclass\s+(\w+)", text):
            postgres_classes.add(match.group(1))


def kind_of(class_name: str) -> str:
    if ".Browser." in class_name:
        return "browser"
    short = class_name.rsplit(".", 1)[-1].split("+")[0]
    return "postgres" if short in postgres_classes else "unit"


def seconds(duration: str) -> float:
    h, m, s = duration.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


totals: dict[str, list[float]] = {}
for trx in trx_files:
    root = ET.parse(trx).getroot()
    classes = {}
    for definition in root.iterfind(".//t:UnitTest", ns):
        method = definition.find("t:TestMethod", ns)
        classes[definition.get("id")] = method.get("className") if method is not None else ""
    for result in root.iterfind(".//t:UnitTestResult", ns):
        kind = kind_of(classes.get(result.get("testId"), ""))
        entry = totals.setdefault(kind, [0, 0.0, 0])
        entry[0] += 1
        entry[1] += seconds(result.get("duration", "0:0:0"))
        entry[2] += result.get("outcome") != "Passed"

for kind in sorted(totals):
    count, total, failed = totals[kind]
    print(f"  {kind:17} {count:4} tests, {failed} failed, {total:7.1f} s of test time")
