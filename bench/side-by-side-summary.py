"""Tables for bench/side-by-side.sh: DIR/results.jsonl and DIR/latency-SUBJECT.jsonl -> Markdown.

Each measure of each subject, and, when the Go webhook ran, its ratio against the Go webhook's
(how many times the Go webhook's value it is: below 1 is less time or memory, above 1 more
requests per second for saturation)."""
import json
import statistics
import sys
from pathlib import Path

out = Path(sys.argv[1])
runs = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines() if line.strip()]
latency = {}
for run in runs:
    file = out / f"latency-{run['subject']}.jsonl"
    latency[run["subject"]] = [json.loads(l) for l in file.read_text().splitlines() if l.strip()] if file.exists() else []
go = next((r for r in runs if r["subject"] == "go"), None)
subjects = [r["subject"] for r in runs]
starts_file = out / "starts.jsonl"
starts = {}
if starts_file.exists():
    for line in starts_file.read_text().splitlines():
        if line.strip():
            start = json.loads(line)
            starts.setdefault(start["subject"], []).append(start["ms"])


def ratio(value, reference):
    if reference in (None, 0) or value is None:
        return ""
    return f" ({value / reference:.2f}×)"


rows = [
    ("start to the first mutated answer, the measured run's", "first_mutation_ms", "ms", 1),
    ("RSS idle", "rss_idle_kb", "MiB", 1024),
    ("RSS under the highest rate", "rss_load_kb", "MiB", 1024),
    ("RSS after the load", "rss_after_kb", "MiB", 1024),
    ("RSS peak (VmHWM)", "rss_peak_kb", "MiB", 1024),
]
print("| measure | " + " | ".join(subjects) + " |")
print("|---|" + "---|" * len(subjects))
if starts:
    cells = []
    reference = statistics.median(starts["go"]) if "go" in starts else None
    for subject in subjects:
        ms = starts.get(subject, [])
        if not ms:
            cells.append("")
            continue
        median = statistics.median(ms)
        cells.append(f"{median:,.0f} ms ({min(ms):,}–{max(ms):,})"
                     + (ratio(median, reference) if subject != "go" and reference else ""))
    rounds = max(len(ms) for ms in starts.values())
    print(f"| start to the first mutated answer, median of {rounds} interleaved rounds (range) | "
          + " | ".join(cells) + " |")
for label, key, unit, scale in rows:
    cells = []
    for run in runs:
        value = run[key] / scale
        cells.append(f"{value:,.0f} {unit}" + (ratio(run[key], go[key]) if go and run is not go else ""))
    print(f"| {label} | " + " | ".join(cells) + " |")
cells = []
for run in runs:
    median = statistics.median(run["saturation"])
    reference = statistics.median(go["saturation"]) if go else None
    cells.append(f"{median:,.0f} req/s" + (ratio(median, reference) if go and run is not go else ""))
print("| saturation, h2load 4 × 16 streams (median of 3) | " + " | ".join(cells) + " |")

rates = sorted({l["rate"] for ls in latency.values() for l in ls})
for rate in rates:
    for label, key in (("p50", "p50_ms"), ("p99", "p99_ms"), ("max", "max_ms")):
        cells = []
        reference = next((l[key] for l in latency.get("go", []) if l["rate"] == rate), None)
        for subject in subjects:
            result = next((l for l in latency[subject] if l["rate"] == rate), None)
            if result is None:
                cells.append("")
                continue
            cells.append(f"{result[key]:.2f} ms" + (ratio(result[key], reference) if subject != "go" else ""))
        print(f"| {label} at {rate:,} req/s | " + " | ".join(cells) + " |")
    cells = []
    for subject in subjects:
        result = next((l for l in latency[subject] if l["rate"] == rate), None)
        cells.append("" if result is None else f"{result['errors']} of {result['requests']:,}")
        if result is not None and result.get("first_error"):
            cells[-1] += f" (first: {result['first_error'][:80]})"
    print(f"| answers not 200 with the expected patch at {rate:,} req/s | " + " | ".join(cells) + " |")

jvms = [r for r in runs if r["subject"].startswith("jvm") and "full_gcs_serving" in r]
if jvms:
    print()
for jvm in jvms:
    name = jvm["subject"]
    print(f"{name} collections: {jvm['full_gcs_serving']} full while serving (after the first mutated answer), "
          f"{jvm['full_gcs_startup']} during startup, {jvm['young_gcs']} young; live heap after the load "
          + (f"{jvm['live_heap_kb'] / 1024:.1f} MiB" if jvm["live_heap_kb"] is not None else "unknown")
          + f" (raw/{name}-gc.log, raw/{name}-histogram.txt)")
