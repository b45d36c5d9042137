"""The whole image check of each photo in two checkouts of this repository, interleaved photo by
photo, so that a busy machine's drift hits both alike (figures printed, never asserted).

    .venv/bin/python bench/compare_checkouts.py --old DIR --new DIR --photos DIR [--photos DIR2] [--repeat 2]

`--old` is e.g. `git worktree add /tmp/old <commit>`; both run with this venv's packages. Each
checkout runs in its own worker process (models loaded once, school account, 10,000 templates in
the index, as bench/check_images.py); every photo goes to one then the other (the order swapped on
each repeat). Printed per photo: median wall and CPU seconds and the number of findings, and new /
old; then per folder p50 and worst, and the ratio's p50 and range. Photos are checked as they are
(upscale them to 12 MP first with bench/real_photos.py's `twelve_mp` for the phone-size figures).
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path


def worker(tree: str) -> None:
    """Reads photo paths on stdin; answers "wall cpu findings" for each."""
    sys.path.insert(0, tree)
    from bench.check_images import SCHOOL, big_index
    from checks_common import default_policy
    from image_checks import ImageInput, check_images
    from image_checks.encoder import warm_up

    import image_checks
    if not image_checks.__file__.startswith(str(Path(tree).resolve())):
        raise SystemExit(f"{tree}: imported {image_checks.__file__} instead")
    warm_up()
    policy, index = default_policy(), big_index()
    print("ready", flush=True)
    for line in sys.stdin:
        data = Path(line.strip()).read_bytes()
        wall, cpu = time.perf_counter(), time.process_time()
        result = check_images([ImageInput(0, data)], SCHOOL, policy, index)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(f"{wall:.3f} {cpu:.3f} {len(getattr(result, 'findings', result))}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--old", required=True)
    parser.add_argument("--new", required=True)
    parser.add_argument("--photos", action="append", required=True)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    procs = {}
    for name in ("old", "new"):
        tree = str(Path(getattr(args, name)).resolve())
        procs[name] = subprocess.Popen([sys.executable, __file__, "--old", "-", "--new", "-", "--photos", "-",
                                        "--worker", tree], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        if procs[name].stdout.readline().strip() != "ready":
            raise SystemExit(f"the {name} worker did not start")

    def run(name: str, path: Path) -> tuple[float, float, int]:
        proc = procs[name]
        proc.stdin.write(f"{path}\n")
        proc.stdin.flush()
        wall, cpu, findings = proc.stdout.readline().split()
        return float(wall), float(cpu), int(findings)

    for folder in args.photos:
        rows = []
        for path in sorted(p for p in Path(folder).iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png")):
            runs = {"old": [], "new": []}
            for r in range(args.repeat):
                for name in (("old", "new") if r % 2 == 0 else ("new", "old")):
                    runs[name].append(run(name, path))
            med = {n: (statistics.median(x[0] for x in v), statistics.median(x[1] for x in v), v[0][2])
                   for n, v in runs.items()}
            rows.append(med)
            print(f"  {path.name:30} old {med['old'][0]:6.2f} s ({med['old'][1]:5.2f} CPU, {med['old'][2]} findings)"
                  f"   new {med['new'][0]:6.2f} s ({med['new'][1]:5.2f} CPU, {med['new'][2]} findings)"
                  f"   new/old {med['new'][0] / med['old'][0]:.2f}", flush=True)
        for name in ("old", "new"):
            wall, cpu = [r[name][0] for r in rows], [r[name][1] for r in rows]
            print(f"{folder} {name}: wall p50 {statistics.median(wall):.2f} s, worst {max(wall):.2f} s; "
                  f"CPU p50 {statistics.median(cpu):.2f} s, worst {max(cpu):.2f} s")
        ratios = [r["new"][0] / r["old"][0] for r in rows]
        print(f"{folder} new/old wall per photo: p50 {statistics.median(ratios):.2f}, "
              f"range {min(ratios):.2f}-{max(ratios):.2f}")
    for proc in procs.values():
        proc.stdin.close()
        proc.wait()


if __name__ == "__main__":
    if "--worker" in sys.argv:
        worker(sys.argv[sys.argv.index("--worker") + 1])
    else:
        main()
