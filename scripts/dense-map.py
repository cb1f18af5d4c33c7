#!/usr/bin/env python3
"""Writes county-map with detailed boundaries, for the speed page's measure of what detail costs
a simulated call: every edge of scenarios/county-map.geojson cut into 16, so that each ward has
129 to 450 vertices (most about 400) with the same shape and area, beside copies of the
scenario's other files.

    python3 scripts/dense-map.py OUTDIR
    pledgesim run OUTDIR/county-map.toml ...   (against scenarios/county-map.toml)
"""
import json
import shutil
import sys
from pathlib import Path


def dense(ring, k=16):
    out = []
    for a, b in zip(ring[:-1], ring[1:]):
        for i in range(k):
            t = i / k
            out.append([a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t])
    out.append(ring[-1])
    return out


def main():
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    here = Path(__file__).resolve().parent.parent / "scenarios"
    for f in here.glob("county-map*"):
        shutil.copy(f, out / f.name)
    g = json.loads((here / "county-map.geojson").read_text())
    for f in g["features"]:
        geo = f["geometry"]
        if geo["type"] == "Polygon":
            geo["coordinates"] = [dense(r) for r in geo["coordinates"]]
        else:
            geo["coordinates"] = [[dense(r) for r in p] for p in geo["coordinates"]]
    (out / "county-map.geojson").write_text(json.dumps(g))


if __name__ == "__main__":
    main()
