#!/usr/bin/env python3
"""Validates a CSV file against one of our Table Schemas with DuckDB: the data engineer's alternative to
`impact validate`, timed beside it by bench.py.

    duckdb_validate.py SCHEMA.json FILE.csv --quarter 2026-Q2 --coordinator-limit 1000 --threads N [--json OUT]

Prints one JSON line: rows checked, problems in total and per kind (impact's finding codes), per check
(kind/field/constraint or rule), and the seconds spent loading and checking. With --json, also writes
every problem (rowNumber, code, severity, fieldName, rule, cell) to OUT as a JSON array, in row order.

How it works, and how each step maps to impact's TableValidator (Sources/TableSchema/TableValidator.swift):
  1. Header (Python's csv module, first line only): columns are matched to fields by their exact name after
     trimming, then by the name lower-cased with spaces, dashes and dots read as underscores. A field with
     no column is `missing-label` (an error when required, else a warning; its cells count as blank), an
     unknown column `extra-label`, an unnamed one `blank-label` (warnings), a repeated name
     `duplicate-label` (that column is ignored).
  2. Load: the whole file is read once by read_csv into a table, every column VARCHAR, store_rejects=true:
     rows with too few or too many cells go to the rejects table as `missing-cell` (one per missing
     column) or `extra-cell` (one per row). Typed read_csv columns would not do: a cast error rejects the
     whole row (its other cells, key and rules go unchecked), a column takes one date format where ours
     allow several, £1,200.50 does not read, and DuckDB's casts are lenient (1.5 -> 2; 1e3, 0x10 and 1_000
     are integers). So each cell is typed in SQL: TRY_CAST behind a regular expression of the shape
     impact accepts.
  3. Cells: trimmed of spaces, tabs, line ends, no-break spaces and BOMs; a missingValues entry is blank.
     Blank and required (or in the primary key) -> `constraint-error` (rule required). Not blank and not
     of the type -> `type-error`: integer and number as impact reads them (sign, groupChar, decimalChar,
     exponent; with bareNumber false a leading £ $ € ¥ or three-letter code and a trailing % or code),
     date by try_strptime with the field's format(s) (a day that does not exist is a type error),
     boolean by trueValues/falseValues. A row whose every cell is blank is skipped; `blank-row` when a
     row with data follows.
  4. Constraints on the typed value -> `constraint-error`, one per broken constraint: enum, minimum,
     maximum, minLength/maxLength (characters), pattern (regexp_full_match; strings only). A value with a
     type or constraint error is NULL for keys and rules, as in impact.
  5. Rules -> `rule-violation` with the rule's severity: the support schema's rules translated by hand
     (RULES below; the script stops when the schema's rules are not exactly those). impact's three-valued
     logic is SQL's: a row breaks a rule when `when` IS TRUE and `assert` IS FALSE.
  6. Primary key -> `primary-key` for each row whose complete key an earlier row has (row_number() over
     the key, in file order); a `unique` field likewise -> `unique-error`.
  Foreign keys are not checked: impact cannot either without the referenced table (it notes so).

On bench.py's generated files the problems are impact's findings one for one (same rows, codes, fields,
rules and cells). Differences that remain elsewhere:
  - a misspelt header is not matched to its field (impact suggests the field and checks the column as it);
  - a row with too few or too many cells is not otherwise checked (impact checks the cells it has), and
    impact reports missing cells only for some columns (a missing-cell count may differ);
  - empty lines are skipped by read_csv without trace (impact warns `blank-row` for them), so the
    rowNumber of later rows is one less per empty line; a quoted cell spanning lines does the same;
  - only UTF-8 is read (impact also reads UTF-16 and Windows-1252); patterns are RE2, not ICU;
  - string formats (email, uri, uuid) and the types datetime, year and list are not supported (the script
    stops when a schema uses them).
"""

import argparse
import csv
import json
import re
import sys
import time

import duckdb

# Trimmed from both ends of every cell, as CellParser.trim does (the BOM only at the start there).
TRIM = " \t\r\n\u00a0\ufeff"

# The support schema's rules as written there (name, when, assert, severity), each with its SQL over the
# typed, checked values (v("field") is a field's value: NULL when blank, of the wrong type or breaking a
# constraint). {limit} and {quarter} are the parameters as SQL literals.
RULES = {
    "attended-within-offered": (None, "sessions_attended <= sessions_offered", "error",
                                None, 'v("sessions_attended") <= v("sessions_offered")'),
    "ended-needs-end-date": ('support_status = "ended"', "end_date is not blank", "error",
                             "v(\"support_status\") = 'ended'", 'v("end_date") IS NOT NULL'),
    "ended-needs-ending-type": ('support_status = "ended"', "ending_type is not blank", "error",
                                "v(\"support_status\") = 'ended'", 'v("ending_type") IS NOT NULL'),
    "end-not-before-start": (None, "end_date >= start_date", "error",
                             None, 'v("end_date") >= v("start_date")'),
    "start-within-quarter": (None, "start_date <= quarter_end(quarter)", "error",
                             None, 'v("start_date") <= quarter_end(v("quarter"))'),
    "spend-above-limit-needs-panel": ("discretionary_spend > $coordinator_limit", "panel_approval_ref is not blank",
                                      "error", 'v("discretionary_spend") > {limit}', 'v("panel_approval_ref") IS NOT NULL'),
    "quarter-matches-run": ("$quarter is not blank", "quarter = $quarter", "error",
                            "{quarter} IS NOT NULL", 'v("quarter") = {quarter}'),
    "ending-type-only-when-ended": ("ending_type is not blank", 'support_status = "ended"', "warning",
                                    'v("ending_type") IS NOT NULL', "v(\"support_status\") = 'ended'"),
    "transition-to-only-for-transitions": ("transition_to is not blank", 'ending_type = "transition"', "warning",
                                           'v("transition_to") IS NOT NULL', "v(\"ending_type\") = 'transition'"),
}

# quarter_end('2026-Q2') = 2026-06-30; NULL unless the text is a quarter.
QUARTER_END = ("(CASE WHEN regexp_full_match({q}, '[0-9]{{4}}-Q[1-4]') THEN "
               "last_day(make_date(CAST(substr({q}, 1, 4) AS INTEGER), CAST(substr({q}, 7, 1) AS INTEGER) * 3, 1)) END)")


def sql_string(text):
    return "'" + str(text).replace("'", "''") + "'"


def ident(name):
    return '"' + name.replace('"', '""') + '"'


def number_sql(field, text):
    """(SQL that is true when the trimmed text is of the type, SQL for its value) for an integer or number
    field: what CellParser.parseInteger / parseNumber accept (sign, groupChar between digits, decimalChar,
    exponent; with bareNumber false also a leading currency sign or code and a trailing % or code)."""
    group = field.get("groupChar")
    decimal = field.get("decimalChar", ".")
    digits = "[0-9]+" + (f"(?:{re.escape(group)}[0-9]+)*" if group else "")
    if field["type"] == "integer":
        number, cast = f"[+-]?{digits}", "BIGINT"
    else:
        point = re.escape(decimal)
        number, cast = f"[+-]?(?:{digits}(?:{point}[0-9]*)?|{point}[0-9]+)(?:[eE][+-]?[0-9]+)?", "DOUBLE"
    if field.get("bareNumber", True):
        test = f"regexp_full_match({text}, {sql_string(number)})"
        core = text
    else:
        prefix = "-?[£$€¥]?(?:[A-Z]{3}[ \t]*)?"
        shape = "^" + prefix + f"({number})(?:%|[ \t]*[A-Z]{{3}})?$"
        two_signs = "^-" + prefix[2:] + "[+-]"  # -£-5 and --5: a type error in impact
        test = f"(regexp_matches({text}, {sql_string(shape)}) AND NOT regexp_matches({text}, {sql_string(two_signs)}))"
        core = f"regexp_extract({text}, {sql_string(shape)}, 1)"
    if group:
        core = f"replace({core}, {sql_string(group)}, '')"
    if field["type"] == "number" and decimal != ".":
        core = f"replace({core}, {sql_string(decimal)}, '.')"
    value = f"TRY_CAST({core} AS {cast})"
    if not field.get("bareNumber", True):
        value = f"(CASE WHEN starts_with({text}, '-') THEN -{value} ELSE {value} END)"
    return test, value


def typed_sql(field, text):
    """(SQL true when the non-blank text is of the field's type, SQL for the typed value)."""
    kind = field.get("type", "string")
    if kind in ("string", "any"):
        if field.get("format", "default") != "default" and kind == "string":
            sys.exit(f"duckdb_validate: string format {field['format']!r} of {field['name']} is not supported")
        return "true", text
    if kind in ("integer", "number"):
        return number_sql(field, text)
    if kind == "date":
        formats = field.get("formats") or [field.get("format", "default")]
        formats = ["%Y-%m-%d" if f in ("default", "any") else f for f in formats]
        value = f"CAST(try_strptime({text}, [{', '.join(sql_string(f) for f in formats)}]) AS DATE)"
        return f"{value} IS NOT NULL", value
    if kind == "list" and field.get("itemType", "string") == "string":
        # A list of texts: any text is one (its items are checked against reference tables, not given here).
        return "true", text
    if kind == "boolean":
        true_values = field.get("trueValues", ["true", "True", "TRUE", "1"])
        false_values = field.get("falseValues", ["false", "False", "FALSE", "0"])
        value = (f"(CASE WHEN {text} IN ({', '.join(map(sql_string, true_values))}) THEN true "
                 f"WHEN {text} IN ({', '.join(map(sql_string, false_values))}) THEN false END)")
        return f"{value} IS NOT NULL", value
    sys.exit(f"duckdb_validate: type {kind!r} of {field['name']} is not supported")


def literal(field, value):
    """A constraint's value (minimum, maximum, enum entry) as an SQL literal of the field's type."""
    kind = field.get("type", "string")
    if kind == "date":
        return f"DATE {sql_string(value)}"
    if kind in ("integer", "number"):
        return repr(float(value)) if kind == "number" else str(int(value))
    if kind == "boolean":
        return "true" if value in (True, "true") else "false"
    return sql_string(value)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("schema")
    parser.add_argument("file")
    parser.add_argument("--quarter", help="the quarter being checked ($quarter); rows of another quarter are errors")
    parser.add_argument("--coordinator-limit", type=float, help="$coordinator_limit (default: the schema's)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--json", help="write every problem here, as a JSON array")
    options = parser.parse_args()
    schema = json.load(open(options.schema))
    fields = schema["fields"]
    names = [f["name"] for f in fields]
    started = time.monotonic()

    # The rules must be the ones translated above.
    found = {r["name"]: (r.get("when"), r["assert"], r.get("severity", "error")) for r in schema.get("rules", [])}
    expected = {name: rule[:3] for name, rule in RULES.items()}
    if found != expected:
        changed = sorted(set(found.items()) ^ set(expected.items()))
        sys.exit(f"duckdb_validate: the schema's rules are not the ones translated to SQL here: {changed}")
    parameters = schema.get("parameters", {})
    limit = options.coordinator_limit
    if limit is None:
        limit = parameters.get("coordinator_limit", {}).get("default")
    if options.quarter is not None and not re.fullmatch(r"[0-9]{4}-Q[1-4]", options.quarter):
        sys.exit(f"duckdb_validate: --quarter {options.quarter!r} is not a quarter like 2026-Q2")
    params = {"limit": "NULL" if limit is None else repr(float(limit)),
              "quarter": "NULL" if options.quarter is None else sql_string(options.quarter)}

    # MARK: 1. the header
    with open(options.file, newline="", encoding="utf-8-sig") as handle:
        labels = [label.strip(TRIM) for label in next(csv.reader(handle), [])]
    header_findings = []  # (rowNumber, code, severity, fieldName, cell)
    column_of = {}
    unmatched = []
    for number, label in enumerate(labels, 1):  # exact names first
        if not label:
            header_findings.append((1, "blank-label", "warning", None, ""))
        elif label in names and label in column_of:
            header_findings.append((1, "duplicate-label", "error", label, label))
        elif label in names:
            column_of[label] = f"c{number}"
        else:
            unmatched.append((number, label))
    normal = {re.sub(r"[ .-]", "_", name.lower()): name for name in names}
    for number, label in unmatched:  # then names that differ in case, spaces, dashes or dots
        name = normal.get(re.sub(r"[ .-]", "_", label.lower()))
        if name and name in column_of:
            header_findings.append((1, "duplicate-label", "error", label, label))
        elif name:
            column_of[name] = f"c{number}"
        else:
            header_findings.append((1, "extra-label", "warning", label, label))
    primary_key = schema.get("primaryKey", [])
    primary_key = [primary_key] if isinstance(primary_key, str) else primary_key
    required = {f["name"] for f in fields if f.get("constraints", {}).get("required")} | set(primary_key)
    optional_columns = {f["name"] for f in fields if f.get("columnOptional")}
    for name in names:
        if name not in column_of and not (name in optional_columns and name not in required):
            header_findings.append((1, "missing-label", "error" if name in required else "warning", name, None))

    # MARK: 2-6. the checks, as SQL
    missing = schema.get("missingValues", [""])
    columns = [f"c{n}" for n in range(1, len(labels) + 1)]
    # trim(x, characters) is three times slower than a regular expression that finds the few cells to trim.
    edge = sql_string(f"^[{TRIM}]|[{TRIM}]$")
    trimmed = [f"CASE WHEN regexp_matches({c}, {edge}) THEN trim({c}, {sql_string(TRIM)}) ELSE coalesce({c}, '') END "
               f"AS {ident('t:' + c)}" for c in columns]
    blank = " AND ".join(f"{ident('t:' + c)} = ''" for c in columns) or "true"
    t = {name: ident("t:" + column_of[name]) if name in column_of else "''" for name in names}  # trimmed text
    s = {name: ident("s:" + name) for name in names}  # trimmed text, NULL when blank
    p = {name: ident("p:" + name) for name in names}  # typed value, NULL when blank or not of the type
    v = {name: ident("v:" + name) for name in names}  # typed value, NULL also when it breaks a constraint
    checks = []  # (code, severity, field, rule): column k<i> of table checked, or table k<i> for keys

    def check(code, field, rule, severity="error"):
        checks.append((code, severity, field, rule))
        return f"k{len(checks) - 1}"

    texts, typed, constrained, valid = [], [], [], []
    for field in fields:
        name = field["name"]
        values = field.get("missingValues", missing)
        texts.append(f"CASE WHEN {t[name]} IN ({', '.join(map(sql_string, values))}) THEN NULL ELSE {t[name]} END AS {s[name]}")
        test, value = typed_sql(field, s[name])
        typed.append(f"CASE WHEN {s[name]} IS NOT NULL AND {test} THEN {value} END AS {p[name]}")
        if name in required and name in column_of:  # a field with no column is reported once, as missing-label
            constrained.append(f"({s[name]} IS NULL AND NOT blank) AS {check('constraint-error', name, 'required')}")
        constrained.append(f"({s[name]} IS NOT NULL AND {p[name]} IS NULL) AS {check('type-error', name, None)}")
        constraints = field.get("constraints", {})
        broken = []
        if "enum" in constraints:
            broken.append(("enum", f"{p[name]} NOT IN ({', '.join(literal(field, e) for e in constraints['enum'])})"))
        if "minimum" in constraints:
            broken.append(("minimum", f"{p[name]} < {literal(field, constraints['minimum'])}"))
        if "maximum" in constraints:
            broken.append(("maximum", f"{p[name]} > {literal(field, constraints['maximum'])}"))
        if "minLength" in constraints:
            broken.append(("minLength", f"length({s[name]}) < {int(constraints['minLength'])}"))
        if "maxLength" in constraints:
            broken.append(("maxLength", f"length({s[name]}) > {int(constraints['maxLength'])}"))
        if "pattern" in constraints and field.get("type", "string") in ("string", "any"):
            broken.append(("pattern", f"NOT regexp_full_match({s[name]}, {sql_string(constraints['pattern'])})"))
        flags = [check("constraint-error", name, rule) for rule, _ in broken]
        constrained += [f"coalesce({sql}, false) AS {flag}" for (_, sql), flag in zip(broken, flags)]
        valid.append(f"CASE WHEN {' OR '.join(flags)} THEN NULL ELSE {p[name]} END AS {v[name]}" if flags
                     else f"{p[name]} AS {v[name]}")
    flag_columns = [f"k{i}" for i in range(len(checks))]  # the checks so far, the columns of constrained
    # Keys: the primary key, and each unique field; each makes a table of the rows whose key an earlier row has.
    keys = []  # (table, fields)
    if primary_key:
        keys.append((check("primary-key", primary_key[-1], None), primary_key))
    for field in fields:
        if field.get("constraints", {}).get("unique"):
            keys.append((check("unique-error", field["name"], None), [field["name"]]))
    key_fields = sorted({name for _, fields_of_key in keys for name in fields_of_key}, key=names.index)

    def rule_sql(text):
        text = re.sub(r'v\("([^"]+)"\)', lambda m: v[m.group(1)], text.format(**params))
        return re.sub(r"quarter_end\(([^()]+)\)", lambda m: QUARTER_END.format(q=m.group(1)), text)

    rules = []
    for rule in schema.get("rules", []):
        when_sql, assert_sql = RULES[rule["name"]][3:]
        mentioned = [w for w in re.findall(r"[A-Za-z_]\w*", rule["assert"] + " " + (rule.get("when") or ""))
                     if w in names]
        broken = f"NOT coalesce({rule_sql(assert_sql)}, true)"
        if when_sql:
            broken = f"coalesce({rule_sql(when_sql)}, false) AND {broken}"
        flag = check("rule-violation", mentioned[0] if mentioned else None, rule["name"], rule.get("severity", "error"))
        rules.append(f"(NOT blank AND {broken}) AS {flag}")
        flag_columns.append(flag)

    connection = duckdb.connect()
    connection.execute(f"PRAGMA threads={options.threads}")
    column_types = ", ".join(f"'c{n}': 'VARCHAR'" for n in range(1, len(labels) + 1))
    connection.execute(
        f"CREATE TEMP TABLE raw AS SELECT * FROM read_csv({sql_string(options.file)}, header=true, auto_detect=false, "
        f"delim=',', quote='\"', escape='\"', columns={{{column_types}}}, store_rejects=true, "
        f"rejects_table='rejects', rejects_scan='rejects_scan')")
    loaded = time.monotonic()
    # A row's number is its line (the header is 1): the rowid counts only the rows read, so each line
    # rejected before a row moves it down one (found by an ASOF join on how many rows were read before
    # each rejected line).
    line, source = "rowid + 2", "raw"
    if connection.execute("SELECT count(*) FROM rejects").fetchone()[0]:
        connection.execute("""CREATE TEMP TABLE shifts AS SELECT line - 1 - ordinal AS read_before, max(ordinal) AS shift
                              FROM (SELECT line, row_number() OVER (ORDER BY line) AS ordinal
                                    FROM (SELECT DISTINCT line FROM rejects)) GROUP BY read_before""")
        line, source = "raw.rowid + 2 + coalesce(shift, 0)", "raw ASOF LEFT JOIN shifts ON raw.rowid >= read_before"
    kept = [ident("t:" + column) for column in dict.fromkeys(column_of.values())] + [v[name] for name in key_fields]
    connection.execute(f"""
        CREATE TEMP TABLE checked AS
        WITH cells AS (SELECT {line} AS row_number, {', '.join(trimmed)} FROM {source}),
             texts AS (SELECT *, ({blank}) AS blank, {', '.join(texts)} FROM cells),
             typed AS (SELECT *, {', '.join(typed)} FROM texts),
             constrained AS (SELECT *, {', '.join(constrained)} FROM typed),
             valid AS (SELECT *, {', '.join(valid)} FROM constrained)
        SELECT row_number, blank, {', '.join(kept + [f'k{i}' for i in range(len(constrained))] + rules)}
        FROM valid""")
    connection.execute("DROP TABLE raw")
    for table, fields_of_key in keys:
        # Rows whose complete key an earlier row already has; the cell is the key's last field.
        key = ", ".join(v[name] for name in fields_of_key)
        complete = " AND ".join(f"{v[name]} IS NOT NULL" for name in fields_of_key)
        connection.execute(f"""
            CREATE TEMP TABLE {table} AS SELECT row_number, cell FROM (
                SELECT row_number, {t[fields_of_key[-1]]} AS cell,
                       row_number() OVER (PARTITION BY {key} ORDER BY row_number) AS occurrence
                FROM checked WHERE {complete}) WHERE occurrence > 1""")
    last_row = "(SELECT max(row_number) FROM checked WHERE NOT blank)"
    row = connection.execute(f"SELECT count_if(NOT blank), count_if(blank AND row_number < {last_row}), "
                             f"{', '.join(f'count_if({flag})' for flag in flag_columns)} FROM checked").fetchone()
    rows, blank_rows = row[0], row[1]
    count_of = dict(zip(flag_columns, row[2:]))
    for table, _ in keys:
        count_of[table] = connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    counts = [count_of[f"k{i}"] for i in range(len(checks))]
    rejected = connection.execute(
        "SELECT error_type::VARCHAR, count(*), count(DISTINCT line) FROM rejects GROUP BY ALL").fetchall()

    by_kind, by_check = {}, {}

    def add(code, key, count):
        if count:
            by_kind[code] = by_kind.get(code, 0) + count
            by_check[key] = by_check.get(key, 0) + count

    for _, code, *_ in header_findings:
        add(code, code, 1)
    if blank_rows:
        add("blank-row", "blank-row", blank_rows)
    reject_codes = {"TOO MANY COLUMNS": "extra-cell", "MISSING COLUMNS": "missing-cell"}
    for error_type, count, lines in rejected:
        add(reject_codes.get(error_type, "source-error"), reject_codes.get(error_type, "source-error"), count)
        rows += lines
    for (code, severity, field, rule), count in zip(checks, counts):
        add(code, "/".join(part for part in (code, field, rule) if part), count)
    errors = sum(count for (code, severity, *_), count in zip(checks, counts) if severity == "error")
    errors += sum(1 for finding in header_findings if finding[2] == "error")
    errors += sum(count for _, count, _ in rejected)

    if options.json:
        connection.execute("CREATE TEMP TABLE header (ordinal INTEGER, rowNumber BIGINT, code VARCHAR, severity VARCHAR, "
                           "fieldName VARCHAR, rule VARCHAR, cell VARCHAR)")
        if header_findings:
            connection.executemany("INSERT INTO header VALUES (?, ?, ?, ?, ?, NULL, ?)",
                                   [(-1, *finding) for finding in header_findings])
        parts = ["SELECT * FROM header",
                 f"SELECT -1, row_number, 'blank-row', 'warning', NULL, NULL, NULL FROM checked "
                 f"WHERE blank AND row_number < {last_row}",
                 "SELECT -1, line, CASE error_type WHEN 'TOO MANY COLUMNS' THEN 'extra-cell' "
                 "WHEN 'MISSING COLUMNS' THEN 'missing-cell' ELSE 'source-error' END, 'error', "
                 f"CASE column_name {' '.join(f'WHEN {sql_string(c)} THEN {sql_string(n)}' for n, c in column_of.items())} "
                 "ELSE NULL END, "
                 "NULL, csv_line "
                 "FROM rejects"]
        key_tables = {table for table, _ in keys}
        for index, (code, severity, field, rule) in enumerate(checks):
            described = f"{index}, row_number, '{code}', '{severity}', {sql_string(field) if field else 'NULL'}, " \
                        f"{sql_string(rule) if rule else 'NULL'}"
            if f"k{index}" in key_tables:
                parts.append(f"SELECT {described}, cell FROM k{index}")
            else:
                parts.append(f"SELECT {described}, {t[field] if field else 'NULL'} FROM checked WHERE k{index}")
        union = " UNION ALL ".join(parts)
        connection.execute(f"COPY (SELECT rowNumber, code, severity, fieldName, rule, cell FROM ({union}) "
                           f"ORDER BY rowNumber, ordinal) TO {sql_string(options.json)} (FORMAT json, ARRAY true)")
    finished = time.monotonic()
    print(json.dumps({"rows": rows, "problems": sum(by_kind.values()), "errors": errors, "kinds": by_kind,
                      "checks": by_check, "threads": options.threads, "load_seconds": round(loaded - started, 3),
                      "check_seconds": round(finished - loaded, 3)}))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
