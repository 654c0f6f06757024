#!/usr/bin/env python3
"""An independent check of SampleData/, written without the generator's code.

A small reference validator in Python that reads Schemas/*.schema.json (types, constraints,
missingValues, trueValues, bareNumber, formats, keys, foreign keys, rules) and:

  1. validates every quarter of SampleData/returns against SampleData/reference: no finding allowed;
  2. validates SampleData/invalid (with its subfolders) for 2026-Q2: the findings must be exactly
     those listed in SampleData/invalid-expected.json (file, code, rowNumber, pointer, fieldName,
     severity), and SampleData/invalid/messy-but-valid must give none;
  3. checks the sample data's own promises (sizes, person refs kept across quarters, baselines fixed,
     scores on the scale, late forms, missing return, ...).

Run from the repository root: python3 scripts/sample-data/check.py   (exit 0 when all is well)
Standard library only; YAML forms are checked when PyYAML is installed and skipped otherwise.
It mirrors the conventions written down in SampleData/README.md; it is not the product's validator.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import difflib
import io
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

try:
    import yaml  # type: ignore
except ImportError:  # pragma: no cover
    yaml = None

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "SampleData"
SCHEMAS = ROOT / "Schemas"
COORDINATOR_LIMIT = 1000
NUL_MARK = "\ue000"       # stands in for NUL while the csv module parses
BAD_MARK = "\ue001"       # stands in for an undecodable byte

# The field a primary-key finding names: the one that tells rows of one return apart.
PK_FIELD = {"support": "person_ref", "outcomes": "person_ref", "ripple": "note_id", "partners": "partner_id",
            "narrative": "quarter", "stories": "story_id", "themes": "theme_id", "awards": "award_id",
            "priority-groups": "group_id"}

FORM_KEYS = {"partner_id", "quarter", "submitted_on", "highlights", "challenges", "what_would_help",
             "support", "outcomes", "ripple", "narrative", "stories", "awards"}
FORM_REQUIRED = ["partner_id", "quarter", "submitted_on", "support", "outcomes"]


def load_schema(name: str) -> dict:
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))


TABLE_KINDS = ["support", "outcomes", "ripple", "narrative", "stories", "awards", "partners", "funders", "outcome-goals",
               "themes", "priority-groups"]
SCHEMA = {name: load_schema(name) for name in TABLE_KINDS}


class Finding(tuple):
    """(file, code, rowNumber, pointer, fieldName, severity)"""

    def __new__(cls, file, code, row=None, field=None, severity="error", pointer=None, detail=""):
        obj = super().__new__(cls, (file, code, row, pointer, field, severity))
        obj.detail = detail
        return obj


# ----------------------------------------------------------------------------------- bytes to rows

def decode(data: bytes) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith(codecs.BOM_UTF16_LE):
        return data[2:].decode("utf-16-le"), "utf-16-le"
    if data.startswith(codecs.BOM_UTF16_BE):
        return data[2:].decode("utf-16-be"), "utf-16-be"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Valid multi-byte UTF-8 somewhere means the file is UTF-8 with bad bytes; otherwise Windows-1252.
    if re.search(rb"[\xc2-\xf4][\x80-\xbf]+", data):
        text = data.decode("utf-8", errors="replace").replace("\ufffd", BAD_MARK)
        return text, "utf-8 (with errors)"
    return data.decode("cp1252"), "cp1252"


def read_table(name: str, data: bytes, findings: list) -> tuple[list[str], list[tuple[int, list[str]]]]:
    text, _ = decode(data)
    text = text.replace("\x00", NUL_MARK)
    first_line = re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[list[str]] = []
    try:
        for record in reader:
            records.append(record)
    except csv.Error as e:
        # Name the column whose quote never closes: count the delimiters before it on its line.
        field = None
        lines = re.split(r"\r\n|\r|\n", text)
        header = next(csv.reader([lines[0]], delimiter=delimiter)) if lines else []
        for line in reversed(lines):
            if '"' in line:
                column = line[:line.index('"')].count(delimiter)
                field = header[column] if column < len(header) else None
                break
        findings.append(Finding(name, "source-error", len(records) + 1, field, detail=str(e)))
    if not records:
        return [], []
    header, rows = records[0], [(i + 2, r) for i, r in enumerate(records[1:])]
    while rows and all(not c.strip() for c in rows[-1][1]):     # trailing blank rows are fine
        rows.pop()
    return header, rows


def kind_of(header: list[str]) -> str:
    labels = {h.strip() for h in header}
    best = max(TABLE_KINDS, key=lambda k: len(labels & {f["name"] for f in SCHEMA[k]["fields"]})
               / len({f["name"] for f in SCHEMA[k]["fields"]} | labels))
    return best


# ----------------------------------------------------------------------------------- cells

class Bad(Exception):
    pass


def parse_cell(f: dict, raw):
    """A value from a CSV string or a form's JSON value; raises Bad on a type error."""
    t = f.get("type", "string")
    if not isinstance(raw, str):            # from a form
        if t == "integer" and isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        if t == "number" and isinstance(raw, (int, float)) and not isinstance(raw, bool):
            return float(raw)
        if t == "boolean" and isinstance(raw, bool):
            return raw
        raise Bad(raw)
    s = raw
    if t == "string":
        return s
    if t == "integer":
        if re.fullmatch(r"[+-]?\d+", s):
            return int(s)
        raise Bad(s)
    if t == "number":
        if f.get("bareNumber", True) is False:
            s = s.strip("£$€ ")
        group = f.get("groupChar")
        if group and re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", s):
            s = s.replace(group, "")
        if re.fullmatch(r"-?\d+(\.\d+)?", s):
            return float(s)
        raise Bad(s)
    if t == "date":
        for fmt in f.get("formats", ["%Y-%m-%d"]):
            try:
                return dt.datetime.strptime(s, fmt).date()
            except ValueError:
                pass
        raise Bad(s)
    if t == "boolean":
        if s in f.get("trueValues", ["true"]):
            return True
        if s in f.get("falseValues", ["false"]):
            return False
        raise Bad(s)
    if t == "list":
        return [x.strip() for x in s.split(f.get("delimiter", ","))]
    raise Bad(s)


def constraint_problems(f: dict, value) -> list[str]:
    c = f.get("constraints", {})
    out = []
    if "pattern" in c and isinstance(value, str) and not re.fullmatch(c["pattern"], value):
        out.append("pattern")
    if "enum" in c and value not in c["enum"]:
        out.append("enum")
    for key, op in (("minimum", lambda a, b: a < b), ("maximum", lambda a, b: a > b)):
        if key in c:
            bound = c[key]
            if isinstance(value, dt.date):
                bound = dt.date.fromisoformat(bound)
            if op(value, bound):
                out.append(key)
    for key, op in (("minLength", lambda a, b: a < b), ("maxLength", lambda a, b: a > b)):
        if key in c and isinstance(value, (str, list)) and op(len(value), c[key]):
            out.append(key)
    return out


# ----------------------------------------------------------------------------------- rules

def quarter_end(q: str) -> dt.date:
    year, n = int(q[:4]), int(q[-1])
    return (dt.date(year + 1, 1, 1) if n == 4 else dt.date(year, 3 * n + 1, 1)) - dt.timedelta(days=1)


def operand(token: str, row: dict, context: dict):
    token = token.strip()
    m = re.fullmatch(r"quarter_(end|start)\((\w+)\)", token)
    if m:
        q = operand(m.group(2), row, context)
        if not (isinstance(q, str) and re.fullmatch(r"\d{4}-Q[1-4]", q)):
            return None
        return quarter_end(q) if m.group(1) == "end" else dt.date(int(q[:4]), 3 * int(q[-1]) - 2, 1)
    if token.startswith("$"):
        return context.get(token[1:])
    if token.startswith('"'):
        return token.strip('"')
    if re.fullmatch(r"-?\d+(\.\d+)?", token):
        return float(token)
    return row.get(token)


def evaluate(expr: str, row: dict, context: dict):
    """True, False, or None when an operand is blank or invalid (then the rule does not apply)."""
    parts = re.split(r"\s+and\s+", expr)
    if len(parts) > 1:
        values = [evaluate(part, row, context) for part in parts]
        return False if False in values else None if None in values else True
    m = re.fullmatch(r"\s*(\S+)\s+is\s+(not\s+)?blank\s*", expr)
    if m:
        blank = operand(m.group(1), row, context) in (None, "")
        return not blank if m.group(2) else blank
    m = re.fullmatch(r"\s*(.+?)\s*(<=|>=|!=|=|<|>)\s*(.+?)\s*", expr)
    if not m:
        raise ValueError(f"cannot read rule {expr!r}")
    a, op, b = operand(m.group(1), row, context), m.group(2), operand(m.group(3), row, context)
    if a is None or b is None:
        return None
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        a, b = float(a), float(b)
    return {"<=": a <= b, ">=": a >= b, "<": a < b, ">": a > b, "=": a == b, "!=": a != b}[op]


def first_field(expr: str) -> str:
    return re.match(r"\s*(\w+)", expr).group(1)


# ----------------------------------------------------------------------------------- one table

class Table:
    def __init__(self, file: str, kind: str):
        self.file, self.kind = file, kind
        self.rows: list[tuple[object, dict, dict]] = []   # (row number or pointer prefix, values, raw)


def check_row(table: Table, where, cells: dict, findings: list, context: dict, is_form: bool) -> None:
    """cells: field name -> raw (str for CSV, JSON value for forms; absent = missing column)."""
    schema = SCHEMA[table.kind]
    missing_values = schema.get("missingValues", [""])
    values, raws = {}, {}

    def report(code, name, severity="error"):
        if is_form:
            findings.append(Finding(table.file, code, None, name, severity, f"{where}/{name}"))
        else:
            findings.append(Finding(table.file, code, where, name, severity))

    for f in schema["fields"]:
        name = f["name"]
        if name not in cells:
            values[name] = None
            continue
        raw = cells[name]
        if isinstance(raw, str):
            if NUL_MARK in raw or BAD_MARK in raw:
                report("encoding-error", name)
                raw = raw.replace(NUL_MARK, "").replace(BAD_MARK, "?")
            raw = raw.strip()
        raws[name] = raw
        if raw is None or (isinstance(raw, str) and raw in missing_values):
            values[name] = None
            if f.get("constraints", {}).get("required"):
                report("constraint-error", name)
            continue
        try:
            value = parse_cell(f, raw)
        except Bad:
            report("type-error", name)
            values[name] = None
            continue
        if constraint_problems(f, value):
            report("constraint-error", name)
        values[name] = value
    for rule in schema.get("rules", []):
        if "when" in rule and evaluate(rule["when"], values, context) is not True:
            continue
        if evaluate(rule["assert"], values, context) is False:
            report("rule-violation", first_field(rule["assert"]), rule.get("severity", "error"))
    table.rows.append((where, values, raws))


def check_csv(file: str, data: bytes, findings: list, context: dict) -> Table | None:
    header, rows = read_table(file, data, findings)
    if not header:
        return None
    labels = [h.strip().lstrip("\ufeff") for h in header]
    kind = kind_of(labels)
    table = Table(file, kind)
    names = [f["name"] for f in SCHEMA[kind]["fields"]]
    column_of: dict[str, int] = {}
    unknown = []
    for i, label in enumerate(labels):
        if not label:
            findings.append(Finding(file, "blank-label", 1, None, "warning"))
        elif label in column_of:
            findings.append(Finding(file, "duplicate-label", 1, label))
        elif label in names:
            column_of[label] = i
        else:
            unknown.append(label)
    absent = [n for n in names if n not in column_of]
    for label in unknown:
        close = difflib.get_close_matches(label, absent, n=1, cutoff=0.8)
        if close:
            absent.remove(close[0])
            findings.append(Finding(file, "missing-label", 1, close[0], detail=f"did you mean {label}?"))
        else:
            findings.append(Finding(file, "extra-label", 1, label, "warning"))
    optional_columns = {f["name"] for f in SCHEMA[kind]["fields"] if f.get("columnOptional")}
    for name in absent:
        if name not in optional_columns:
            findings.append(Finding(file, "missing-label", 1, name))

    for number, record in rows:
        if all(not c.strip() for c in record):
            findings.append(Finding(file, "blank-row", number, None, "warning"))
            continue
        for i in range(len(record), len(labels)):
            findings.append(Finding(file, "missing-cell", number, labels[i] or None))
        for _ in range(len(labels), len(record)):
            findings.append(Finding(file, "extra-cell", number, None))
        cells = {name: record[i] for name, i in column_of.items() if i < len(record)}
        check_row(table, number, cells, findings, context, is_form=False)
    return table


# ----------------------------------------------------------------------------------- forms

class UniqueKeyLoader(yaml.SafeLoader if yaml else object):   # type: ignore[misc]
    pass


if yaml:
    def _mapping(loader, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = loader.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return yaml.SafeLoader.construct_mapping(loader, node, deep)

    UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def check_form(file: str, data: bytes, findings: list, context: dict) -> list[Table]:
    try:
        if file.endswith(".json"):
            form = json.loads(data.decode("utf-8"))
        else:
            form = yaml.load(data.decode("utf-8"), Loader=UniqueKeyLoader)
    except (ValueError, yaml.YAMLError if yaml else ValueError) as e:
        findings.append(Finding(file, "source-error", detail=str(e)))
        return []
    for key in FORM_REQUIRED:
        if key not in form:
            findings.append(Finding(file, "form-error", None, key, "error", f"/{key}"))
    for key in form:
        if key not in FORM_KEYS:
            findings.append(Finding(file, "form-error", None, key, "warning", f"/{key}"))
    submitted = form.get("submitted_on")
    if submitted is not None:
        try:
            dt.date.fromisoformat(submitted)
        except (TypeError, ValueError):
            findings.append(Finding(file, "form-error", None, "submitted_on", "error", "/submitted_on"))
    tables = []
    for kind in ("support", "outcomes", "ripple", "narrative", "stories", "awards"):
        table = Table(file, kind)
        for i, item in enumerate(form.get(kind) or []):
            where = f"/{kind}/{i}"
            for key in ("partner_id", "quarter"):
                if key in item and item[key] != form.get(key):
                    findings.append(Finding(file, "form-error", None, key, "error", f"{where}/{key}"))
            check_row(table, where, dict(item), findings, context, is_form=True)
        tables.append(table)
    return tables


# ----------------------------------------------------------------------------------- a folder

def reference_keys() -> dict:
    def column(name, key):
        with open(SAMPLE / "reference" / name, newline="", encoding="utf-8") as f:
            return {r[key] for r in csv.DictReader(f)}
    return {"partners": column("partners.csv", "partner_id"), "funders": column("funders.csv", "funder_id"),
            "outcome-goals": column("outcomes.csv", "outcome_id")}


def validate(paths: list[Path], base: Path, quarter: str) -> list[Finding]:
    context = {"quarter": quarter, "coordinator_limit": COORDINATOR_LIMIT}
    findings: list[Finding] = []
    tables: list[Table] = []
    for path in paths:
        rel = path.relative_to(base).as_posix()
        data = path.read_bytes()
        if path.suffix in (".json", ".yaml", ".yml"):
            if path.suffix != ".json" and yaml is None:
                print(f"  (skipped {rel}: PyYAML is not installed)")
                continue
            tables += check_form(rel, data, findings, context)
        else:
            table = check_csv(rel, data, findings, context)
            if table:
                tables.append(table)
    ref = reference_keys()

    def report(table, where, code, name):
        if isinstance(where, str):
            findings.append(Finding(table.file, code, None, name, "error", f"{where}/{name}"))
        else:
            findings.append(Finding(table.file, code, where, name))

    support_keys = set()
    for t in tables:
        if t.kind == "support":
            for _, v, _ in t.rows:
                support_keys.add((v["partner_id"], v["quarter"], v["person_ref"]))
    for kind in ("support", "outcomes", "ripple", "narrative", "stories", "awards", "partners"):
        schema = SCHEMA[kind]
        pk = schema["primaryKey"]
        seen = set()
        for t in (t for t in tables if t.kind == kind):
            for where, v, raws in t.rows:
                key = tuple(raws.get(k) for k in pk)
                if None not in key:
                    if key in seen:
                        report(t, where, "primary-key", PK_FIELD[kind])
                    seen.add(key)
                for fk in schema.get("foreignKeys", []):
                    target = fk["reference"]["resource"]
                    if target in ref:
                        value = v.get(fk["fields"])
                        values = value if isinstance(value, list) else [value]
                        if any(x is not None and x not in ref[target] for x in values):
                            report(t, where, "foreign-key", fk["fields"])
                    elif target == "support":
                        key3 = (v["partner_id"], v["quarter"], v["person_ref"])
                        if None not in key3 and key3 not in support_keys:
                            report(t, where, "foreign-key", "person_ref")
        # unique fields other than the primary key (partners.name)
        for f in schema["fields"]:
            if f.get("constraints", {}).get("unique") and [f["name"]] != pk:
                for t in (t for t in tables if t.kind == kind):
                    seen_values = set()
                    for where, v, _ in t.rows:
                        if v[f["name"]] in seen_values:
                            report(t, where, "unique-error", f["name"])
                        seen_values.add(v[f["name"]])
    return findings


def files_under(folder: Path, recursive: bool) -> list[Path]:
    found = folder.rglob("*") if recursive else folder.iterdir()
    return sorted(p for p in found if p.is_file() and p.name != "expected.json")


# ----------------------------------------------------------------------------------- the checks

def check_returns(problems: list) -> None:
    for qdir in sorted((SAMPLE / "returns").iterdir()):
        findings = validate(files_under(qdir, False), qdir, qdir.name)
        for f in findings:
            problems.append(f"returns/{qdir.name}/{f[0]}: {f[1:]} {getattr(f, 'detail', '')}")
        print(f"returns/{qdir.name}: {len(list(qdir.iterdir()))} files, {len(findings)} findings")


def check_invalid(problems: list) -> None:
    base = SAMPLE / "invalid"
    findings = validate(files_under(base, True), base, "2026-Q2")
    expected = json.loads((SAMPLE / "invalid-expected.json").read_text(encoding="utf-8"))
    want = {(e["file"], e["code"], e["rowNumber"], e.get("pointer"), e["fieldName"], e["severity"]) for e in expected}
    if len(want) != len(expected):
        problems.append("invalid-expected.json has duplicate entries")
    got = {tuple(f) for f in findings}
    if yaml is None:
        want = {w for w in want if not w[0].endswith(".yaml")}
    for w in sorted(want - got, key=str):
        problems.append(f"invalid: expected but not found: {w}")
    for g in sorted(got - want, key=str):
        problems.append(f"invalid: found but not expected: {g}")
    codes = sorted({w[1] for w in want})
    print(f"invalid/: {len(findings)} findings, {len(want)} expected, codes: {', '.join(codes)}")
    messy = [f for f in findings if f[0].startswith("messy-but-valid/")]
    print(f"invalid/messy-but-valid: {len(messy)} findings")

    # A person ref or note ID used in two files would show up above as an unexpected primary-key finding.


def check_promises(problems: list) -> None:
    """What the brief promises about the sample returns, beyond validity."""
    people = defaultdict(dict)          # partner -> quarter -> {ref: support row}
    baselines = {}
    spends_over = 0
    rates = []
    for qdir in sorted((SAMPLE / "returns").iterdir()):
        q = qdir.name
        for path in sorted(qdir.iterdir()):
            if path.suffix == ".json" or path.suffix == ".yaml":
                if path.suffix == ".yaml" and yaml is None:
                    continue
                form = json.loads(path.read_text()) if path.suffix == ".json" else yaml.safe_load(path.read_text())
                support, outcomes = form["support"], form["outcomes"]
                days = (dt.date.fromisoformat(form["submitted_on"]) - quarter_end(q)).days
                if not 0 < days <= 40:
                    problems.append(f"{path}: submitted {days} days after the quarter end")
                if days > 30:
                    print(f"  late form: {path.relative_to(SAMPLE)} ({days} days)")
            elif path.name.endswith("-support.csv") or path.name.endswith("-outcomes.csv"):
                with open(path, newline="", encoding="utf-8") as f:
                    rows = list(csv.DictReader(f))
                if path.name.endswith("-support.csv"):
                    support, outcomes = rows, []
                else:
                    support, outcomes = [], rows
            else:
                continue
            for r in support:
                people[r["partner_id"]].setdefault(q, {})[r["person_ref"]] = r
                spend = r.get("discretionary_spend")
                if spend not in (None, "") and float(spend) > COORDINATOR_LIMIT:
                    spends_over += 1
                if int(r["sessions_offered"]) > 0 and r["support_status"] == "active":
                    rates.append(int(r["sessions_attended"]) / int(r["sessions_offered"]))
            for r in outcomes:
                key = (r["partner_id"], r["person_ref"], r["outcome_id"])
                b = int(r["baseline_score"])
                if baselines.setdefault(key, b) != b:
                    problems.append(f"baseline changed for {key}")
    for partner, quarters in sorted(people.items()):
        sizes = {q: len(v) for q, v in sorted(quarters.items())}
        if any(not 8 <= n <= 60 for n in sizes.values()):
            problems.append(f"{partner}: people per quarter {sizes} outside 8..60")
        ended = set()
        for q in sorted(quarters):
            for ref, r in quarters[q].items():
                if ref in ended:
                    problems.append(f"{partner} {q}: {ref} is back after ending")
            ended |= {ref for ref, r in quarters[q].items() if r["support_status"] == "ended"}
    with open(SAMPLE / "reference" / "partners.csv", newline="", encoding="utf-8") as f:
        for p in csv.DictReader(f):
            for q in people.get(p["partner_id"], {}):
                first_day = dt.date(int(q[:4]), 3 * int(q[-1]) - 2, 1)
                if quarter_end(q) < dt.date.fromisoformat(p["active_from"]) or \
                        (p["active_to"] and first_day > dt.date.fromisoformat(p["active_to"])):
                    problems.append(f"{p['partner_id']} sent a return for {q}, outside its contract")
    all_refs = [ref for qs in people.values() for q in qs.values() for ref in q]
    if any(not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9-]{3,19}", x) for x in all_refs):
        problems.append("a person_ref breaks the pattern")
    if "2026-Q1" in people.get("P007", {}):
        problems.append("P007 should have no 2026-Q1 return")
    if min(people["P012"]) != "2026-Q1":
        problems.append("P012 should start in 2026-Q1")
    if any(q.startswith("2026") for q in people["P013"]):
        problems.append("P013 should have no 2026 return")
    in_band = sum(0.6 <= r <= 0.95 for r in rates) / len(rates)
    print(f"promises: {len(set(all_refs))} people, {spends_over} spends above the limit, "
          f"{in_band:.0%} of active attendance rates in 60-95%")
    if spends_over < 3:
        problems.append("too few spends above the coordinator limit")


def check_awards(problems: list) -> None:
    """Every return's awards add up, person by person, to the support table's discretionary spend; every award
    above the limit is the panel's, with a reference; no coordinator splits one day's need past the limit."""
    count = panel = 0
    for qdir in sorted((SAMPLE / "returns").iterdir()):
        for path in sorted(qdir.iterdir()):
            if path.suffix in (".json", ".yaml"):
                if path.suffix == ".yaml" and yaml is None:
                    continue
                form = json.loads(path.read_text()) if path.suffix == ".json" else yaml.safe_load(path.read_text())
                support, awards = form["support"], form.get("awards")
            elif path.name.endswith("-awards.csv"):
                with open(path, newline="", encoding="utf-8") as f:
                    awards = list(csv.DictReader(f))
                with open(path.with_name(path.name.replace("-awards", "-support")), newline="", encoding="utf-8") as f:
                    support = list(csv.DictReader(f))
            else:
                continue
            if awards is None:
                continue
            given = defaultdict(float)
            same_day = defaultdict(float)
            for a in awards:
                amount = float(a["amount"])
                given[a["person_ref"]] += amount
                count += 1
                if amount > COORDINATOR_LIMIT and (a["decided_by"] != "panel" or not a.get("panel_approval_ref")):
                    problems.append(f"{path}: award {a['award_id']} above the limit is not the panel's")
                if a["decided_by"] == "panel":
                    panel += 1
                else:
                    same_day[(a["person_ref"], a["date"])] += amount
            for r in support:
                spend = r.get("discretionary_spend")
                if spend not in (None, "") and abs(float(spend) - given.get(r["person_ref"], 0)) > 0.005:
                    problems.append(f"{path}: {r['person_ref']} spend {spend} but awards {given.get(r['person_ref'], 0)}")
            if any(total > COORDINATOR_LIMIT for total in same_day.values()):
                problems.append(f"{path}: one day's coordinator awards to a person add up past the limit")
    print(f"awards: {count} awards, {panel} by the panel")
    if count == 0 or panel == 0:
        problems.append("the sample should hold awards, some by the panel")


def main() -> int:
    problems: list[str] = []
    check_returns(problems)
    check_invalid(problems)
    check_promises(problems)
    check_awards(problems)
    for p in problems:
        print("PROBLEM:", p)
    print("OK" if not problems else f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
