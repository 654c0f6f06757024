#!/usr/bin/env python3
"""The benchmark table of docs/performance.md, measured side by side in one run.

Called by Benchmarks/run, which builds `impact` in release mode, compiles the libcsv baseline and creates
the virtual environment with frictionless-py and DuckDB (for Benchmarks/duckdb_validate.py) first. Every
timing is the median of several whole-process runs under /usr/bin/time (wall seconds and peak resident
memory); the targets are ratios between timings taken here, one after another, so the machine's speed on
the day cancels out.
"""

import argparse
import hashlib
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# The national-scale quarter: the most partners the generated partner ids (P0001 to P9999) allow.
NATIONAL = 9999


def log(message):
    print(message, file=sys.stderr, flush=True)


def measure(command, stdout=None, ok_codes=(0,), env=None, errors=None):
    """Runs a command under /usr/bin/time; returns (wall seconds, peak RSS in MB). With `errors` (a list), what
    the command wrote to standard error is appended to it."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as timing:
        out = open(stdout, "wb") if stdout else subprocess.DEVNULL
        try:
            result = subprocess.run(
                ["/usr/bin/time", "-f", "%e %M", "-o", timing.name] + command,
                stdout=out, stderr=subprocess.PIPE, env=env)
        finally:
            if stdout:
                out.close()
        if result.returncode not in ok_codes:
            sys.exit(f"benchmark: {' '.join(command)} exited with {result.returncode}:\n"
                     + result.stderr.decode(errors="replace")[-2000:])
        if errors is not None:
            errors.append(result.stderr.decode(errors="replace"))
        seconds, kilobytes = timing.read().split()[-2:]
        # /usr/bin/time counts hundredths of a second: a faster run counts as 0.01 s.
        return max(float(seconds), 0.01), int(kilobytes) / 1024


def median_of(runs, command, **kwargs):
    samples = [measure(command, **kwargs) for _ in range(runs)]
    return statistics.median(s[0] for s in samples), max(s[1] for s in samples), samples


def generator_version():
    """A digest of the generator's source, so that data made by an older generator is made again."""
    digest = hashlib.sha256()
    folder = os.path.join(ROOT, "Sources", "ImpactGenerator")
    for name in sorted(os.listdir(folder)):
        digest.update(open(os.path.join(folder, name), "rb").read())
    return digest.hexdigest()[:16]


def generate(impact, folder, arguments):
    """Generates a workspace once; reuses it when the same arguments and generator made it before."""
    stamp = os.path.join(folder, ".arguments")
    signature = " ".join(arguments) + " " + generator_version()
    if os.path.exists(stamp) and open(stamp).read() == signature:
        return json.load(open(os.path.join(folder, "generated-manifest.json")))
    if os.path.exists(folder):
        shutil.rmtree(folder)
    started = time.monotonic()
    subprocess.run([impact, "generate", "--out", folder, "--quiet"] + arguments, check=True)
    log(f"  generated {folder} in {time.monotonic() - started:.1f} s")
    with open(stamp, "w") as handle:
        handle.write(signature)
    return json.load(open(os.path.join(folder, "generated-manifest.json")))


def frictionless_schema(source, target):
    """Our Table Schema without the parts Frictionless does not define (rules, parameters, date formats
    lists, foreign keys to other resources): what is left is checked the same way by both tools."""
    schema = json.load(open(source))
    fields = []
    for field in schema["fields"]:
        kept = {k: v for k, v in field.items() if k in ("name", "type", "format", "constraints", "bareNumber",
                                                         "groupChar", "decimalChar", "trueValues", "falseValues")}
        fields.append(kept)
    converted = {"fields": fields, "primaryKey": schema["primaryKey"], "missingValues": schema.get("missingValues", [""])}
    with open(target, "w") as handle:
        json.dump(converted, handle, indent=2)


def last_day(quarter):
    year, number = int(quarter[:4]), int(quarter[-1])
    month = number * 3 + 1
    year += month > 12
    month = (month - 1) % 12 + 1
    return f"{year}-{month:02d}-15"  # received mid-month after the quarter: on time


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--impact", required=True)
    parser.add_argument("--csvpass", required=True)
    parser.add_argument("--frictionless", help="the frictionless command, when Python is present")
    parser.add_argument("--duckdb", help="a Python that can import duckdb, to time Benchmarks/duckdb_validate.py")
    parser.add_argument("--data", required=True, help="folder for generated data (kept between runs)")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--partners", default="10,100,1000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--frictionless-runs", type=int, default=1)
    parser.add_argument("--markdown", help="also write the table here")
    parser.add_argument("--national", action="store_true",
                        help="also time a national-scale quarter of 9,999 partners, the most the sample's partner ids "
                             "(P[0-9]{3,4}) allow (once; about an hour and 8 GB of memory the first time)")
    parser.add_argument("--no-validate", action="store_true", help="leave out validating one large file (part a)")
    parser.add_argument("--no-workbook", action="store_true", help="leave out the workbook return (part c)")
    parser.add_argument("--workbook-people", type=int, default=50_000,
                        help="support rows of the workbook return (twice as many outcomes rows)")
    options = parser.parse_args()
    impact = options.impact
    os.makedirs(options.data, exist_ok=True)
    results = []  # (label, seconds, MB, note)
    targets = []  # (name, measured text, target text, passed)

    # MARK: (a) validating one large support file
    if not options.no_validate:
        validate_one_file(options, impact, results, targets)
    if not options.no_workbook:
        workbook_return(options, impact, results, targets)
    quarterly_runs(options, impact, results, targets)
    print_table(options, results, targets)


def workbook_return(options, impact, results, targets):
    # MARK: (c) a return sent as an Excel workbook, against the same rows as CSV files
    people = options.workbook_people
    log(f"(c) a return of {people:,} support and {2 * people:,} outcomes rows, as CSV files and as a workbook")
    folder = os.path.join(options.data, f"workbook-{people}")
    manifest = generate(impact, folder, ["--partners", "1", "--people", str(people), "--quarters", "1",
                                         "--goals-per-person", "2", "--ripple", "0"])
    quarter = manifest["quarters"][-1]
    csv_files = sorted(os.path.join(folder, f["path"]) for f in manifest["files"])
    workbook = os.path.join(options.data, f"workbook-{people}.xlsx")
    stamp = workbook + ".from"
    if not os.path.exists(stamp) or open(stamp).read() != open(os.path.join(folder, ".arguments")).read():
        command = [impact, "template", "--workspace", folder, "--partner", "P001", "--quarter", quarter,
                   "--rows", str(2 * people), "--out", workbook]
        for path in csv_files:
            command += ["--fill-from", path]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        with open(stamp, "w") as handle:
            handle.write(open(os.path.join(folder, ".arguments")).read())
    common = ["--workspace", folder, "--quarter", quarter]
    as_csv = median_of(options.runs, [impact, "validate"] + csv_files + common)
    as_workbook = median_of(options.runs, [impact, "validate", workbook] + common)
    ratio = as_workbook[0] / as_csv[0]
    results += [
        (f"impact validate, a return as {len(csv_files)} CSV files ({people:,} + {2 * people:,} rows)", *as_csv[:2], ""),
        ("impact validate, the same rows as one workbook (the filled-in template)", *as_workbook[:2],
         f"{ratio:.1f}x the CSV files"),
    ]
    targets.append((f"workbook of {people:,} + {2 * people:,} rows <= 2x its CSV files", f"{ratio:.1f}x", "2x", ratio <= 2))


def validate_one_file(options, impact, results, targets):
    log(f"(a) generating a {options.rows:,}-row support file, clean and with planted problems")
    common = ["--partners", "1", "--people", str(options.rows), "--quarters", "1", "--tables", "support", "--ripple", "0",
              "--goals-per-person", "0"]
    clean_ws = os.path.join(options.data, f"support-{options.rows}-clean")
    bad_ws = os.path.join(options.data, f"support-{options.rows}-bad")
    clean_manifest = generate(impact, clean_ws, common)
    # About 12% of rows get one bad cell each: 1% of the file's 12 columns' cells.
    bad_manifest = generate(impact, bad_ws, common + ["--error-share", "0.12", "--errors",
                                                      "type-error,constraint-error,rule-violation,primary-key"])
    quarter = clean_manifest["quarters"][-1]
    clean_file = os.path.join(clean_ws, clean_manifest["files"][0]["path"])
    bad_file = os.path.join(bad_ws, bad_manifest["files"][0]["path"])
    rows = clean_manifest["files"][0]["rows"]["support"]
    size_mb = os.path.getsize(clean_file) / 1e6
    cells = rows * 12
    planted = len(bad_manifest["planted"])
    log(f"  {rows:,} rows, {size_mb:.0f} MB; {planted:,} planted problems ({planted / cells:.2%} of cells)")

    log("(a) timing the raw libcsv pass and impact validate")
    csv_clean = median_of(options.runs, [options.csvpass, clean_file])
    csv_bad = median_of(options.runs, [options.csvpass, bad_file])
    validate_clean = median_of(options.runs, [impact, "validate", clean_file, "--quarter", quarter])
    findings_json = os.path.join(options.data, "findings.json")
    validate_bad = median_of(options.runs, [impact, "validate", bad_file, "--quarter", quarter, "--format", "json", "--all"],
                             stdout=findings_json, ok_codes=(0, 1))
    report = json.load(open(findings_json))
    reported = sum(len(f["findings"]) for f in report["files"])
    results += [
        (f"libcsv pass, clean {rows:,} rows ({size_mb:.0f} MB)", *csv_clean[:2], ""),
        ("impact validate, clean", *validate_clean[:2], f"{validate_clean[0] / csv_clean[0]:.1f}x libcsv"),
        (f"libcsv pass, {planted / cells:.1%} bad cells", *csv_bad[:2], ""),
        ("impact validate --format json --all, bad", *validate_bad[:2],
         f"{validate_bad[0] / csv_bad[0]:.1f}x libcsv; {reported:,} findings"),
    ]
    targets.append(("validate clean <= 2x libcsv", f"{validate_clean[0] / csv_clean[0]:.1f}x", "2x",
                    validate_clean[0] <= 2 * csv_clean[0]))
    targets.append(("validate 1% bad as JSON <= 3x libcsv", f"{validate_bad[0] / csv_bad[0]:.1f}x", "3x",
                    validate_bad[0] <= 3 * csv_bad[0]))
    targets.append(("every planted problem reported", f"{reported:,} of {planted:,}", "all", reported >= planted))
    targets.append(("peak memory, 1M rows with primary key", f"{max(validate_clean[1], validate_bad[1]):.0f} MB", "150 MB",
                    max(validate_clean[1], validate_bad[1]) < 150))

    if options.duckdb:
        # The data engineer's alternative: the same checks as SQL in DuckDB, on as many threads as impact uses.
        log("(a) timing DuckDB (Benchmarks/duckdb_validate.py) on the same files")
        threads = os.cpu_count()
        settings = open(os.path.join(clean_ws, "impact.yaml")).read()
        limit = re.search(r"^coordinator_limit:\s*([\d.]+)", settings, re.M)
        duckdb = [options.duckdb, os.path.join(ROOT, "Benchmarks", "duckdb_validate.py"),
                  os.path.join(ROOT, "Schemas", "support.schema.json")]
        parameters = ["--quarter", quarter, "--coordinator-limit", limit.group(1) if limit else "1000",
                      "--threads", str(threads)]
        dd_clean_out = os.path.join(options.data, "duckdb-clean.out")
        dd_bad_out = os.path.join(options.data, "duckdb-bad.out")
        dd_clean = median_of(options.runs, duckdb + [clean_file] + parameters, stdout=dd_clean_out, ok_codes=(0, 1))
        dd_bad = median_of(options.runs, duckdb + [bad_file] + parameters + ["--json", os.path.join(options.data, "duckdb-bad.json")],
                           stdout=dd_bad_out, ok_codes=(0, 1))
        dd_clean_problems = json.loads(open(dd_clean_out).read())["problems"]
        dd_bad_problems = json.loads(open(dd_bad_out).read())["problems"]

        def against(duckdb_seconds, impact_seconds):
            if impact_seconds <= duckdb_seconds:
                return f"impact is {duckdb_seconds / impact_seconds:.1f}x faster"
            return f"impact is {impact_seconds / duckdb_seconds:.1f}x slower"

        results += [
            (f"DuckDB validate, clean ({threads} threads)", *dd_clean[:2],
             f"{against(dd_clean[0], validate_clean[0])}; {dd_clean_problems:,} problems"),
            ("DuckDB validate --json, bad", *dd_bad[:2],
             f"{against(dd_bad[0], validate_bad[0])}; {dd_bad_problems:,} problems (impact: {reported:,} findings)"),
        ]
        targets.append(("validate clean no slower than DuckDB", f"{validate_clean[0] / dd_clean[0]:.2f}x", "1.0x",
                        validate_clean[0] <= dd_clean[0]))
        targets.append(("validate 1% bad no slower than DuckDB", f"{validate_bad[0] / dd_bad[0]:.2f}x", "1.0x",
                        validate_bad[0] <= dd_bad[0]))

    if options.frictionless:
        log("(a) timing frictionless-py on the same files (this takes minutes)")
        schema = os.path.join(options.data, "support.frictionless.json")
        frictionless_schema(os.path.join(ROOT, "Schemas", "support.schema.json"), schema)
        fl_clean_json = os.path.join(options.data, "frictionless-clean.json")
        fl_bad_json = os.path.join(options.data, "frictionless-bad.json")
        fl_clean = median_of(options.frictionless_runs, [options.frictionless, "validate", "--trusted", "--schema", schema,
                                                         "--json", clean_file], stdout=fl_clean_json, ok_codes=(0, 1))
        fl_bad = median_of(options.frictionless_runs, [options.frictionless, "validate", "--trusted", "--schema", schema,
                                                       "--json", "--limit-errors", "100000000", bad_file],
                           stdout=fl_bad_json, ok_codes=(0, 1))

        def frictionless_errors(path):
            task = json.load(open(path))["tasks"][0]
            kinds = {error["type"] for error in task["errors"]}
            if kinds & {"resource-error", "schema-error", "scheme-error", "format-error", "encoding-error"}:
                sys.exit(f"benchmark: frictionless-py could not read the file: {task['errors'][0].get('note')}")
            return len(task["errors"])

        fl_clean_errors = frictionless_errors(fl_clean_json)
        fl_bad_errors = frictionless_errors(fl_bad_json)
        results += [
            ("frictionless-py validate, clean", *fl_clean[:2],
             f"impact is {fl_clean[0] / validate_clean[0]:.0f}x faster; {fl_clean_errors} errors"),
            ("frictionless-py validate --json, bad", *fl_bad[:2],
             f"impact is {fl_bad[0] / validate_bad[0]:.0f}x faster; {fl_bad_errors:,} errors (it has no cross-field rules)"),
        ]
        targets.append(("faster than frictionless-py, clean", f"{fl_clean[0] / validate_clean[0]:.0f}x", "50x",
                        fl_clean[0] >= 50 * validate_clean[0]))
        targets.append(("faster than frictionless-py, bad", f"{fl_bad[0] / validate_bad[0]:.0f}x", "50x",
                        fl_bad[0] >= 50 * validate_bad[0]))



def quarterly_runs(options, impact, results, targets):
    # MARK: (b) the quarterly run at several sizes
    runs_by_size = {}
    disclosure_by_size = {}
    sizes = [int(p) for p in options.partners.split(",") if p]
    if options.national and NATIONAL not in sizes:
        sizes.append(NATIONAL)
    for partners in sizes:
        # A national-scale quarter is timed once: each run takes minutes.
        runs = 1 if partners >= NATIONAL else options.runs
        log(f"(b) {partners} partners x 500 people x 2 goals x 4 quarters")
        folder = os.path.join(options.data, f"workspace-{partners}")
        manifest = generate(impact, folder, ["--partners", str(partners), "--people", "500", "--goals-per-person", "2",
                                             "--quarters", "4", "--funders", "4", "--format", "mixed"])
        quarters = manifest["quarters"]
        store = os.path.join(folder, ".impact")
        history = os.path.join(folder, ".bench-history")  # goes when the workspace is generated again
        # The earlier quarters are run again whenever impact changes: what their funder workbooks published
        # is part of the measured quarter's work (a history recorded by another build is not this one's).
        binary = hashlib.sha256(open(impact, "rb").read()).hexdigest()
        done = os.path.join(history, ".done")
        if not os.path.exists(done) or open(done).read().strip() != binary:
            shutil.rmtree(store, ignore_errors=True)
            for earlier in quarters[:-1]:
                subprocess.run([impact, "run", "--workspace", folder, "--quarter", earlier, "--received-on",
                                last_day(earlier), "--quiet"], check=True)
            shutil.rmtree(history, ignore_errors=True)
            shutil.copytree(store, history)
            with open(done, "w") as handle:
                handle.write(binary + "\n")
        last = quarters[-1]
        support = sum(f["rows"].get("support", 0) for f in manifest["files"] if f["quarter"] == last)
        outcomes = sum(f["rows"].get("outcomes", 0) for f in manifest["files"] if f["quarter"] == last)
        samples = []
        for _ in range(runs):
            shutil.rmtree(store, ignore_errors=True)
            shutil.copytree(history, store)
            samples.append(measure([impact, "run", "--workspace", folder, "--quarter", last, "--received-on",
                                    last_day(last), "--quiet"]))
        seconds = statistics.median(s[0] for s in samples)
        peak = max(s[1] for s in samples)
        runs_by_size[partners] = (seconds, peak)
        results.append((f"impact run {last}, {partners:,} partners ({support:,} support, {outcomes:,} outcomes rows)",
                        seconds, peak, "three earlier quarters in the history" + ("; one run" if runs == 1 else "")))
        # The same run when the store holds no digests (the first run after an upgrade to them, or after the
        # coordinator limit changes): earlier quarters are read row by row and their digests stored. Once.
        shutil.rmtree(store, ignore_errors=True)
        shutil.copytree(history, store)
        with sqlite3.connect(os.path.join(store, "impact.sqlite")) as connection:
            connection.execute("DELETE FROM return_digest")
        cold = measure([impact, "run", "--workspace", folder, "--quarter", last, "--received-on", last_day(last),
                        "--quiet"])
        results.append((f"  the same, no digests stored (earlier quarters read row by row)", cold[0], cold[1],
                        f"{cold[0] / seconds:.2f}x the run; one run"))
        # The disclosure step (plan, audit and repair over every funder workbook with the history's), from
        # the run summary of one more run, against that run's own wall time.
        shutil.rmtree(store, ignore_errors=True)
        shutil.copytree(history, store)
        summary = os.path.join(options.data, "run-summary.txt")
        stderr = []
        wall, _ = measure([impact, "run", "--workspace", folder, "--quarter", last, "--received-on", last_day(last),
                           "--timings"], stdout=summary, errors=stderr)
        # Where that run's time went, step by step (impact run --timings).
        for step, seconds in re.findall(r"^  (.+): ([\d.]+) s$", stderr[0], re.MULTILINE):
            if float(seconds) >= 0.005:
                results.append((f"  step: {step}", float(seconds), 0, f"{100 * float(seconds) / wall:.0f}% of the run"))
        summary_text = open(summary).read()
        # A funder workbook the disclosure step withholds is a failure of the run at this size, never a pass.
        withheld = len(re.findall(r"^  Withheld: ", summary_text, re.MULTILINE))
        targets.append((f"funder workbooks written, {partners:,} partners", f"{withheld} withheld", "none withheld",
                        withheld == 0))
        match = re.search(r"Disclosure control: (\d[\d,]*) counts.*?(\d+) rounds, (\d+) integer programs, ([\d.]+) s\)",
                          summary_text)
        if match:
            disclosure = float(match.group(4))
            disclosure_by_size[partners] = (disclosure, wall)
            results.append((f"  of which disclosure control ({match.group(1)} counts hidden, {match.group(2)} rounds, "
                            f"{match.group(3)} integer programs)", disclosure, 0, f"{100 * disclosure / wall:.0f}% of the run"))
    if 1000 in runs_by_size:
        seconds, peak = runs_by_size[1000]
        targets.append(("run, 1,000 partners, one quarter", f"{seconds:.1f} s", "15 s", seconds < 15))
        targets.append(("run, 1,000 partners, peak memory", f"{peak:.0f} MB", "1 GB", peak < 1024))
    if 1000 in disclosure_by_size:
        disclosure, wall = disclosure_by_size[1000]
        targets.append(("disclosure control, 1,000 partners, 4 funders", f"{100 * disclosure / wall:.0f}% of the run",
                        "15%", disclosure / wall < 0.15))
    if 100 in runs_by_size and 1000 in runs_by_size:
        step = runs_by_size[1000][0] / runs_by_size[100][0]
        targets.append(("run, 100 -> 1,000 partners", f"{step:.1f}x time", "12x", step <= 12))
    if 1000 in runs_by_size and NATIONAL in runs_by_size:
        step = runs_by_size[NATIONAL][0] / runs_by_size[1000][0]
        targets.append((f"run, 1,000 -> {NATIONAL:,} partners", f"{step:.1f}x time", "11x", step <= 11))
        peak = runs_by_size[NATIONAL][1]
        targets.append((f"run, {NATIONAL:,} partners, peak memory", f"{peak / 1024:.1f} GB", "8 GB", peak < 8 * 1024))


def print_table(options, results, targets):
    # MARK: - The table
    lines = [f"Measured {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC on {os.cpu_count()} cores; "
             f"median of {options.runs} runs (frictionless-py: {options.frictionless_runs}).", "",
             "| what | wall time | peak memory | note |", "|---|---:|---:|---|"]
    for label, seconds, peak, note in results:
        lines.append(f"| {label} | {seconds:.2f} s | {f'{peak:.0f} MB' if peak else ''} | {note} |")
    lines += ["", "| target | measured | limit | |", "|---|---:|---:|---|"]
    for name, measured, limit, passed in targets:
        lines.append(f"| {name} | {measured} | {limit} | {'PASS' if passed else 'MISS'} |")
    table = "\n".join(lines)
    print(table)
    if options.markdown:
        with open(options.markdown, "w") as handle:
            handle.write(table + "\n")
    sys.exit(0 if all(target[3] for target in targets) else 1)


if __name__ == "__main__":
    sys.exit(main())
