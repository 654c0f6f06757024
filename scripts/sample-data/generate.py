#!/usr/bin/env python3
"""Write the synthetic sample workspace in SampleData/.

Run from the repository root:

    python3 scripts/sample-data/generate.py

Standard library only, a fixed random seed and no clock, so that two runs give
byte-identical files. What it writes:

  SampleData/impact.yaml                    programme settings
  SampleData/reference/*.csv                partners, funders, outcome goals
  SampleData/returns/<quarter>/...          four quarters of valid partner returns
  SampleData/invalid/...                    returns with planted problems, one per file
  SampleData/invalid/messy-but-valid/...    awkward but valid files (encodings, line ends, UK dates, ...)
  SampleData/invalid/forms/...              JSON and YAML forms, valid and invalid
  SampleData/invalid-expected.json          the manifest of every planted problem
  SampleData/README.md                      what is where

Everything here is made up: organisations, funders, references and notes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

# --------------------------------------------------------------------------------------
# Constants
# --------------------------------------------------------------------------------------

SEED = 20250701
ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "SampleData"
SCHEMAS = ROOT / "Schemas"

PROGRAMME = "Northern Lights Survivor Support Alliance"
QUARTERS = ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]
INVALID_QUARTER = "2026-Q2"
DUE_DAYS = 30
DISCLOSURE_THRESHOLD = 5
COORDINATOR_LIMIT = 1000
IMPROVEMENT_POINTS = 2
SCORE_MIN, SCORE_MAX = 1, 10

SUPPORT_FIELDS = [
    "partner_id", "quarter", "person_ref", "support_type", "support_status", "start_date",
    "end_date", "ending_type", "sessions_offered", "sessions_attended", "discretionary_spend",
    "panel_approval_ref", "priority_groups", "worker_changes", "transition_to",
]
AWARD_FIELDS = ["partner_id", "quarter", "award_id", "person_ref", "date", "amount", "purpose", "decided_by",
                "panel_approval_ref"]
SUPPORT_MAX_DAYS = 730

# The Child Poverty Pathfinders' six priority family groups (reference/priority-groups.csv), with the share of
# people the sample puts in each.
PRIORITY_GROUPS = [
    ("lone_parent", "Lone parents or carers", "A family with one adult caring for the children.", 0.30),
    ("ethnic_minority", "Ethnic minority families", "A family from a minority ethnic group.", 0.12),
    ("disability", "A disabled adult or child", "A family where an adult or a child is disabled.", 0.25),
    ("young_mother", "A young mother under 25", "A family where the mother is under 25.", 0.06),
    ("child_under_1", "A child under 1", "A family with a baby under one year old.", 0.08),
    ("three_plus_children", "Three or more children", "A family with three or more children.", 0.15),
]
DESTINATIONS = ["another_partner", "statutory_service", "community_group", "specialist_service", "education_or_work",
                "other"]
AWARD_PURPOSES = ["housing", "utilities", "travel", "education", "wellbeing", "other"]
OUTCOME_FIELDS = ["partner_id", "quarter", "person_ref", "outcome_id", "baseline_score", "current_score"]
RIPPLE_FIELDS = ["partner_id", "quarter", "note_id", "theme", "outcome_id", "note", "consent_to_quote"]
PARTNER_FIELDS = ["partner_id", "name", "region", "funder_ids", "active_from", "active_to"]

SUPPORT_TYPES = [
    "counselling", "group_support", "practical_support", "peer_support", "education",
    "advocacy", "wellbeing_activity", "other",
]
THEMES = [
    "family_relationships", "community_connections", "education_employment", "health_wellbeing",
    "housing", "confidence_skills", "other",
]

FUNDERS = [
    ("F01", "Northern Trust for Recovery"),
    ("F02", "Corriebank Foundation"),
    ("F03", "Silverburn Community Fund"),
]

# outcome_id, title, pathway, indicator, target_improved_share
OUTCOME_GOALS = [
    ("OG01", "Feeling safer", "Safety and stability",
     "Self-rated feeling of safety day to day, 1 to 10", "0.6"),
    ("OG02", "A settled home and routine", "Safety and stability",
     "Self-rated stability of housing and daily routine, 1 to 10", "0.55"),
    ("OG03", "Better emotional wellbeing", "Health and wellbeing",
     "Self-rated emotional wellbeing over the last month, 1 to 10", "0.65"),
    ("OG04", "Coping with the effects of trauma", "Health and wellbeing",
     "Self-rated ability to manage flashbacks, anxiety and sleep, 1 to 10", "0.6"),
    ("OG05", "Trusting relationships", "Connection and purpose",
     "Self-rated trust and closeness in relationships with family, friends or community, 1 to 10", "0.55"),
    ("OG06", "Learning, work or volunteering", "Connection and purpose",
     "Self-rated progress towards learning, work or volunteering goals, 1 to 10", "0.7"),
]
OUTCOME_IDS = [g[0] for g in OUTCOME_GOALS]


@dataclass(frozen=True)
class Partner:
    partner_id: str
    name: str
    region: str
    funder_ids: str
    active_from: str
    active_to: str          # "" while the contract continues
    route: str              # how returns arrive: csv, json or yaml
    size: int               # typical people supported per quarter
    ref_style: str          # how this partner writes person references
    support_mix: dict       # support_type -> weight
    goals: list             # outcome goals the partner mostly works on, most common first
    spend_rate: float       # chance a person gets discretionary spend in a quarter


PARTNERS = [
    Partner("P001", "Bothy Light Counselling", "Highland", "F01", "2025-07-01", "", "csv", 32, "A",
            {"counselling": 8, "group_support": 2, "wellbeing_activity": 1}, ["OG03", "OG04", "OG01"], 0.12),
    Partner("P002", "Larchwood Survivors' Network", "Glasgow", "F01;F02", "2025-07-01", "", "json", 54, "B",
            {"peer_support": 5, "group_support": 4, "counselling": 2, "advocacy": 1}, ["OG05", "OG03", "OG01", "OG06"], 0.18),
    Partner("P003", "Saltire Steps Advocacy", "Lothian", "F02", "2025-07-01", "", "csv", 34, "A",
            {"advocacy": 6, "practical_support": 3, "counselling": 1}, ["OG01", "OG02", "OG05"], 0.25),
    Partner("P004", "Tidewrack Learning Project", "Fife", "F03", "2025-07-01", "2027-03-31", "csv", 24, "C",
            {"education": 7, "group_support": 2, "other": 1}, ["OG06", "OG05", "OG03"], 0.2),
    Partner("P005", "Glenmorrow Wellbeing Trust", "Tayside", "F01;F03", "2025-07-01", "", "yaml", 40, "D",
            {"wellbeing_activity": 5, "counselling": 3, "group_support": 2}, ["OG03", "OG04", "OG05"], 0.15),
    Partner("P006", "Kelpie Stone Peer Support", "Forth Valley", "F02", "2025-07-01", "", "csv", 20, "B",
            {"peer_support": 6, "group_support": 2, "wellbeing_activity": 1}, ["OG05", "OG03", "OG06"], 0.1),
    Partner("P007", "Machair Voices Collective", "Western Isles", "F01", "2025-07-01", "", "csv", 9, "A",
            {"group_support": 4, "peer_support": 3, "counselling": 1}, ["OG05", "OG03"], 0.2),
    Partner("P008", "Cairnhill Practical Aid", "Lanarkshire", "F02;F03", "2025-07-01", "", "csv", 44, "C",
            {"practical_support": 6, "advocacy": 3, "other": 1}, ["OG02", "OG01", "OG06"], 0.45),
    Partner("P009", "Rowanbrae Family Recovery", "Ayrshire", "F03", "2025-07-01", "", "json", 28, "D",
            {"counselling": 4, "group_support": 3, "peer_support": 2}, ["OG05", "OG01", "OG03"], 0.15),
    Partner("P010", "Whinstone Creative Wellbeing", "Dumfries and Galloway", "F01", "2025-07-01", "2027-03-31", "csv", 18, "B",
            {"wellbeing_activity": 6, "group_support": 3}, ["OG03", "OG05", "OG04"], 0.1),
    Partner("P011", "Ossian Gate Counselling", "Grampian", "F02", "2025-07-01", "", "yaml", 10, "A",
            {"counselling": 9, "other": 1}, ["OG04", "OG03"], 0.08),
    Partner("P012", "Kittiwake Connections", "Argyll and Bute", "F03", "2026-01-01", "", "json", 16, "C",
            {"peer_support": 4, "education": 3, "wellbeing_activity": 2}, ["OG05", "OG06"], 0.2),
    Partner("P013", "Drumlin Advocacy Partnership", "Scottish Borders", "F01;F02", "2025-07-01", "2025-12-31", "csv", 15, "D",
            {"advocacy": 7, "practical_support": 2}, ["OG01", "OG02"], 0.2),
    Partner("P014", "Selkie Shore Peer Mentoring", "Orkney", "F03", "2025-07-01", "", "csv", 8, "B",
            {"peer_support": 6, "education": 2}, ["OG05", "OG06", "OG03"], 0.12),
]
PARTNER_IDS = [p.partner_id for p in PARTNERS]

# Returns that were never sent (the report's completeness section should notice).
MISSING_RETURNS = {("P007", "2026-Q1")}

# Forms sent after the due date (more than DUE_DAYS after the quarter's end): days after quarter end.
LATE_FORMS = {("P009", "2025-Q4"): 37, ("P005", "2026-Q1"): 38}

# Discretionary spends above the coordinator's limit, each with a panel approval: (partner, quarter, pounds).
LARGE_SPENDS = [
    ("P008", "2025-Q3", 1180.00),
    ("P002", "2025-Q4", 1450.00),
    ("P008", "2026-Q1", 2300.00),
    ("P005", "2026-Q2", 1275.50),
    ("P003", "2026-Q2", 1620.00),
]
# A spend of exactly the limit, which needs no panel approval ("above" means more than).
AT_LIMIT_SPEND = ("P008", "2026-Q2", 1000.00)

# Sessions a person is offered in a full quarter, by main type of support.
SESSIONS_PER_QUARTER = {
    "counselling": (8, 13), "group_support": (8, 13), "practical_support": (2, 8),
    "peer_support": (4, 12), "education": (10, 26), "advocacy": (2, 7),
    "wellbeing_activity": (4, 12), "other": (1, 5),
}

# Characters for person references: no vowels (so no words or names), no 0/1/O/I look-alikes.
REF_LETTERS = "BCDFGHJKLMNPQRSTVWXZ"
REF_CHARS = REF_LETTERS + "23456789"
REF_DIGITS = "0123456789"

# Which outcome goal a ripple theme most often relates to.
THEME_GOALS = {
    "family_relationships": ["OG05"],
    "community_connections": ["OG05", "OG06"],
    "education_employment": ["OG06"],
    "health_wellbeing": ["OG03", "OG04"],
    "housing": ["OG02", "OG01"],
    "confidence_skills": ["OG06", "OG03"],
    "other": ["OG01", "OG03"],
}

NOTE_SUBJECTS = [
    "One participant", "A member of the Tuesday group", "A person we have supported since the spring",
    "One of the people on the programme", "A young adult we support", "One group member",
    "A person who joined us this year", "Someone we have worked with for over a year",
    "An older participant", "A person in our evening group", "One of our peer mentees",
    "A person who was referred by their GP",
]

NOTE_PREDICATES = {
    "family_relationships": [
        "has started visiting a parent again after years of no contact, and says the visits get easier each time.",
        "now reads bedtime stories to their children on video calls, something they could not face before.",
        "met a brother for a meal for the first time in six years; both have since asked about the family sessions.",
        "feels able to tell their partner when they need space, and says home is calmer as a result.",
        "went to a niece's school concert, which they describe as a turning point.",
        "has written the letter to their family that they had been putting off for a long time.",
        "now has their grandchildren to stay one weekend a month.",
    ],
    "community_connections": [
        "now helps set up the chairs and tea urn before the Thursday drop-in.",
        "joined a local walking group and goes most weeks, even when the weather is poor.",
        "has started volunteering at the community larder, which gives the week a shape.",
        "spoke at a community council meeting about the bus service, the first time they have spoken in public.",
        "now meets two other group members for coffee outside the sessions.",
        "signed up for the allotment share scheme and has been giving surplus vegetables to neighbours.",
        "went to a survivors' event in the city on their own, using the travel support.",
    ],
    "education_employment": [
        "enrolled on an evening course in bookkeeping at the local college.",
        "passed the first unit of a care qualification and is applying for placements.",
        "started a part-time job in a garden centre and says the routine has helped their sleep.",
        "completed a food hygiene certificate and now volunteers in the project kitchen.",
        "returned to the literacy class they had left, and finished it this time.",
        "has an interview for a modern apprenticeship next month.",
        "is using the digital skills sessions to build a CV for the first time.",
    ],
    "health_wellbeing": [
        "registered with a GP and a dentist for the first time in several years.",
        "says the grounding techniques from counselling mean panic attacks are shorter and less frequent.",
        "is sleeping through most nights now and has cut back on alcohol.",
        "attended every physiotherapy appointment this quarter after we arranged transport.",
        "has started swimming again and says it is the one hour a week that is just for them.",
        "now keeps a mood diary and brings it to sessions, which has helped them notice patterns.",
        "felt able to ask their GP for a medication review, and came with us to the appointment.",
    ],
    "housing": [
        "moved into a secure tenancy after a year in temporary accommodation.",
        "has kept up with rent payments since the budgeting sessions and cleared a small arrears.",
        "got their gas reconnected with help from the discretionary fund and advocacy with the supplier.",
        "now has a housing officer who knows their history, so they do not have to repeat it.",
        "furnished their new flat with a grant we helped them apply for.",
        "was supported to move away from a neighbour who had been harassing them.",
    ],
    "confidence_skills": [
        "co-facilitated part of a group session and said afterwards they felt proud.",
        "made and kept their own appointments with the benefits office for the first time.",
        "learned to use online banking and now manages their money without help.",
        "took the bus into town alone for the first time since childhood.",
        "is now confident enough to challenge decisions by letter, using the templates from the advocacy sessions.",
        "chose to share their story at our training day for new volunteers.",
    ],
    "other": [
        "asked to see their care records and we are supporting them through the request.",
        "has started writing poetry and shared one piece with the group.",
        "adopted a rescue dog, and says having to go out twice a day has changed things.",
        "took part in the consultation on the redress scheme with our support.",
        "now attends a faith group that they had stopped going to as a teenager.",
    ],
}

NOTE_FOLLOW_UPS = [
    "Staff have noticed the change too.",
    "They put it down to having a steady place to talk.",
    "They asked us to share this in case it helps others.",
    "Their support worker says they are more settled in sessions.",
    "It has taken a long time, and it has been their own work.",
    "Family members have commented on the difference.",
    "They would like to do more of this next quarter.",
]

HIGHLIGHTS = [
    "A second evening group started this quarter and was full within three weeks.",
    "Attendance held up well over the holiday period, helped by the text reminders.",
    "Two peer mentors completed their training and are now co-facilitating sessions.",
    "We opened an outreach session in the library, which has brought in people from the outlying villages.",
    "Most people who ended support this quarter did so as planned, with goals met.",
    "Our waiting list is down to under four weeks for the first time since the programme started.",
    "People told us in feedback that the new drop-in space feels safe and welcoming.",
    "The family sessions have grown, and several relatives have asked for support of their own.",
]
CHALLENGES = [
    "Waiting times for one-to-one counselling rose to about eight weeks.",
    "Travel costs remain a barrier for people living in rural areas.",
    "Staff sickness meant some sessions moved online at short notice.",
    "Several people paused support around the anniversary of the inquiry hearings.",
    "Finding suitable, accessible rooms at a price we can afford continues to be difficult.",
    "Referrals from statutory services have been slower than expected.",
    "Recording scores consistently across staff took longer to settle than we planned.",
]
WHAT_WOULD_HELP = [
    "Clearer guidance on how to record support that is paused at the person's request.",
    "A shared list of trauma-informed housing contacts across the alliance.",
    "Funding for travel and childcare so that people can keep attending.",
    "An alliance-wide training day on the outcome scales, so scores mean the same everywhere.",
    "Earlier notice of the reporting dates for the next financial year.",
    "Access to clinical supervision for our peer workers.",
]

# The learning themes the report groups challenges and "what would help" under (reference/themes.csv).
# A keyword matches at the start of a word: "wait" matches "waiting". Some sentences match no theme on
# purpose, so that the report's "Other" list is seen.
LEARNING_THEMES = [
    ("travel_and_access", "Travel and access", "travel;transport;rural;childcare;bus;villages"),
    ("waiting_and_referrals", "Waiting times and referrals", "wait;referral;capacity"),
    ("workforce_and_supervision", "Workforce, training and supervision", "staff;supervision;peer worker;peer mentor;training"),
    ("recording_and_reporting", "Recording and reporting", "record;scores;scale;reporting;guidance"),
    ("premises", "Rooms and premises", "room;premises;venue;drop-in space"),
    ("housing", "Housing", "housing;tenancy"),
]

# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------

def quarter_bounds(quarter: str) -> tuple[dt.date, dt.date]:
    year, q = int(quarter[:4]), int(quarter[-1])
    start = dt.date(year, 3 * q - 2, 1)
    end = (dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)) - dt.timedelta(days=1)
    return start, end


def random_date(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    """A random working day from lo to hi (a weekend day when the range holds no working day)."""
    day = lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))
    for shift in (0, -1, -2, 1, 2):
        moved = day + dt.timedelta(days=shift)
        if lo <= moved <= hi and moved.weekday() < 5:
            return moved
    return day


def weighted(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def clamp_score(x: int) -> int:
    return max(SCORE_MIN, min(SCORE_MAX, x))


def money(pounds: float | None) -> str:
    """A CSV amount: blank for none, otherwise plain with two decimals (250.00)."""
    return "" if pounds is None else f"{pounds:.2f}"


def json_money(pounds: float | None):
    if pounds is None:
        return None
    return int(pounds) if pounds == int(pounds) else round(pounds, 2)


class RefMaker:
    """Pseudonymous person references, unique across the whole sample data."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, rng: random.Random, style: str) -> str:
        while True:
            if style == "A":      # K7QM-2041
                ref = "".join(rng.choice(REF_CHARS) for _ in range(4)) + "-" + \
                    "".join(rng.choice(REF_DIGITS) for _ in range(4))
            elif style == "B":    # X3F9Q2LM
                ref = "".join(rng.choice(REF_CHARS) for _ in range(8))
            elif style == "C":    # r5t2-k9p1
                ref = "-".join("".join(rng.choice(REF_CHARS) for _ in range(4)) for _ in range(2)).lower()
            else:                 # HQ7-4402-K
                ref = "".join(rng.choice(REF_CHARS) for _ in range(3)) + "-" + \
                    "".join(rng.choice(REF_DIGITS) for _ in range(4)) + "-" + rng.choice(REF_LETTERS)
            if ref not in self.used:
                self.used.add(ref)
                return ref


class PanelRefs:
    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, rng: random.Random) -> str:
        while True:
            ref = f"PA-{rng.randint(20000, 29999)}"
            if ref not in self.used:
                self.used.add(ref)
                return ref


def csv_text(header: list[str] | None, rows: list[list[str]], newline: str = "\n") -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=newline)
    if header is not None:
        writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def json_text(value) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def yaml_scalar(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    # JSON string syntax is valid YAML double-quoted syntax.
    return json.dumps(value, ensure_ascii=False)


def yaml_text(form: dict, comment: str | None = None) -> str:
    """A small YAML emitter for the form shape: scalars and lists of flat objects."""
    lines = []
    if comment:
        lines += [f"# {line}" if line else "#" for line in comment.splitlines()]
    for key, value in form.items():
        if isinstance(value, list):
            if not value:
                lines.append(f"{key}: []")
                continue
            lines.append(f"{key}:")
            for item in value:
                first = True
                for k, v in item.items():
                    lines.append(f"  {'- ' if first else '  '}{k}: {yaml_scalar(v)}")
                    first = False
        else:
            lines.append(f"{key}: {yaml_scalar(value)}")
    return "\n".join(lines) + "\n"


def check_schema_field_order() -> None:
    """The generator's field lists must match the schemas (fail loudly if a schema changed)."""
    for name, expected in [("support", SUPPORT_FIELDS), ("outcomes", OUTCOME_FIELDS),
                           ("ripple", RIPPLE_FIELDS), ("partners", PARTNER_FIELDS), ("awards", AWARD_FIELDS)]:
        schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
        actual = [f["name"] for f in schema["fields"]]
        if actual != expected:
            sys.exit(f"Schemas/{name}.schema.json fields {actual} differ from the generator's {expected}")


# --------------------------------------------------------------------------------------
# Programme settings and reference tables
# --------------------------------------------------------------------------------------

def write_settings() -> None:
    text = f"""\
# Programme settings for the sample workspace.
# Written by scripts/sample-data/generate.py: change the script and run it again rather than editing here.

# The alliance's name, shown on the impact report and on every workbook.
programme: "{PROGRAMME}"

# The currency of discretionary fund amounts (an ISO 4217 code); amounts in returns are in this currency.
currency: GBP

# A return is due this many days after the last day of its quarter; a later one counts as late.
due_days: {DUE_DAYS}

# Counts of people from 1 to this number minus one are shown as "<{DISCLOSURE_THRESHOLD}" in funder outputs.
disclosure_threshold: {DISCLOSURE_THRESHOLD}

# A discretionary spend above this amount needs a panel_approval_ref ($coordinator_limit in the schemas).
coordinator_limit: {COORDINATOR_LIMIT}

# How many points a person's current score must be above their baseline to count as improved.
improvement_points: {IMPROVEMENT_POINTS}

# The self-rated scale of baseline_score and current_score.
scale:
  min: {SCORE_MIN}
  max: {SCORE_MAX}

# Where partners send questions about their returns; printed in reports and feedback.
contact: impact@example.org

# The programme's first quarter: trends and "previous quarters" start here.
first_quarter: {QUARTERS[0]}

# The longest support the programme's contracts agree, in days: people supported longer are counted as past it.
support:
  max_days: {SUPPORT_MAX_DAYS}
"""
    write_text(OUT / "impact.yaml", text)


def write_reference() -> None:
    rows = [[p.partner_id, p.name, p.region, p.funder_ids, p.active_from, p.active_to] for p in PARTNERS]
    write_text(OUT / "reference" / "partners.csv", csv_text(PARTNER_FIELDS, rows))
    write_text(OUT / "reference" / "funders.csv", csv_text(["funder_id", "name"], [list(f) for f in FUNDERS]))
    write_text(OUT / "reference" / "outcomes.csv",
               csv_text(["outcome_id", "title", "pathway", "indicator", "target_improved_share"],
                        [list(g) for g in OUTCOME_GOALS]))
    write_text(OUT / "reference" / "themes.csv", csv_text(["theme_id", "label", "keywords"], [list(t) for t in LEARNING_THEMES]))
    write_text(OUT / "reference" / "priority-groups.csv",
               csv_text(["group_id", "label", "description"], [list(g[:3]) for g in PRIORITY_GROUPS]))


# --------------------------------------------------------------------------------------
# The quarterly returns: a simple simulation of each partner's caseload
# --------------------------------------------------------------------------------------

@dataclass
class Person:
    ref: str
    support_type: str
    start: dt.date
    goals: dict = field(default_factory=dict)   # outcome_id -> [baseline, current]
    status: str = "active"
    end: dt.date | None = None
    ending_type: str = ""


@dataclass
class Return:
    partner: Partner
    quarter: str
    support: list = field(default_factory=list)    # dicts in SUPPORT_FIELDS order, Python values
    outcomes: list = field(default_factory=list)
    ripple: list = field(default_factory=list)


def partner_active(p: Partner, quarter: str) -> bool:
    q_start, q_end = quarter_bounds(quarter)
    active_from = dt.date.fromisoformat(p.active_from)
    active_to = dt.date.fromisoformat(p.active_to) if p.active_to else None
    return active_from <= q_end and (active_to is None or active_to >= q_start)


def pick_goals(rng: random.Random, p: Partner) -> list[str]:
    count = rng.choices([1, 2, 3], weights=[35, 45, 20])[0]
    count = min(count, len(p.goals) + 1)
    weights = {g: 6 - i for i, g in enumerate(p.goals)}
    for g in OUTCOME_IDS:            # now and then a goal outside the partner's usual ones
        weights.setdefault(g, 1)
    chosen: list[str] = []
    while len(chosen) < count:
        g = weighted(rng, {k: v for k, v in weights.items() if k not in chosen})
        chosen.append(g)
    return sorted(chosen)


def new_person(rng: random.Random, refs: RefMaker, p: Partner, start: dt.date, settled: bool) -> Person:
    person = Person(refs.make(rng, p.ref_style), weighted(rng, p.support_mix), start)
    for g in pick_goals(rng, p):
        baseline = weighted(rng, {1: 5, 2: 15, 3: 25, 4: 25, 5: 15, 6: 10, 7: 5})
        # Someone already in support when the programme began may have moved on since their baseline.
        first = baseline + (rng.choice([0, 1, 1, 2, 3]) if settled else rng.choice([0, 0, 0, 1]))
        person.goals[g] = [baseline, clamp_score(first)]
    return person


def drift_scores(rng: random.Random, person: Person) -> None:
    if person.status == "paused":
        deltas = {-2: 10, -1: 30, 0: 50, 1: 10}
    elif person.status == "ended" and person.ending_type == "unplanned":
        deltas = {-1: 35, 0: 50, 1: 15}
    elif person.status == "ended" and person.ending_type == "planned":
        deltas = {0: 20, 1: 45, 2: 30, 3: 5}
    else:
        deltas = {-1: 10, 0: 30, 1: 40, 2: 15, 3: 5}
    for scores in person.goals.values():
        scores[1] = clamp_score(scores[1] + weighted(rng, deltas))


def sessions(rng: random.Random, person: Person, quarter: str) -> tuple[int, int]:
    q_start, q_end = quarter_bounds(quarter)
    lo, hi = SESSIONS_PER_QUARTER[person.support_type]
    full = rng.randint(lo, hi)
    first = max(person.start, q_start)
    last = min(person.end, q_end) if person.end else q_end
    share = ((last - first).days + 1) / ((q_end - q_start).days + 1)
    offered = max(1, round(full * share))
    if person.status == "paused":
        offered = round(offered * rng.uniform(0.2, 0.6))
        rate = rng.uniform(0.3, 0.8)
    elif person.ending_type == "unplanned":
        rate = rng.uniform(0.25, 0.6)
    else:
        rate = rng.triangular(0.55, 0.98, 0.85)
    attended = min(offered, round(offered * rate))
    return offered, attended


def spend(rng: random.Random, p: Partner) -> float | None:
    if rng.random() >= p.spend_rate:
        return None
    if rng.random() < 0.85:
        return round(rng.randint(20, 600) * 0.5, 2)           # £10 to £300 in 50p steps
    return float(rng.randint(30, 95) * 10)                     # £300 to £950


def ripple_notes(rng: random.Random, p: Partner, quarter: str, used_notes: set) -> list[dict]:
    count = rng.randint(1, 2) if p.size <= 10 else rng.randint(1, 4)
    theme_weights = {t: 2 for t in THEMES}
    theme_weights["other"] = 1
    for g in p.goals[:2]:
        for t, goals in THEME_GOALS.items():
            if g in goals:
                theme_weights[t] += 3
    notes = []
    for i in range(count):
        theme = weighted(rng, theme_weights)
        while True:
            text = f"{rng.choice(NOTE_SUBJECTS)} {rng.choice(NOTE_PREDICATES[theme])}"
            if rng.random() < 0.4:
                text += " " + rng.choice(NOTE_FOLLOW_UPS)
            if text not in used_notes:
                used_notes.add(text)
                break
        outcome = rng.choice(THEME_GOALS[theme]) if rng.random() < 0.75 else None
        notes.append({
            "partner_id": p.partner_id, "quarter": quarter, "note_id": f"R{i + 1}", "theme": theme,
            "outcome_id": outcome, "note": text, "consent_to_quote": rng.random() < 0.8,
        })
    return notes


def simulate_partner(rng: random.Random, refs: RefMaker, p: Partner, used_notes: set) -> list[Return]:
    people: list[Person] = []
    returns: list[Return] = []
    first_quarter = True
    for quarter in QUARTERS:
        if not partner_active(p, quarter):
            continue
        q_start, q_end = quarter_bounds(quarter)
        contract_ends = bool(p.active_to) and dt.date.fromisoformat(p.active_to) <= q_end
        carried = [x for x in people if x.status != "ended"]

        # What happened this quarter to people already in support.
        for person in carried:
            was_paused = person.status == "paused"
            if contract_ends:
                person.status, person.ending_type = "ended", weighted(rng, {"transition": 7, "planned": 3})
            else:
                r = rng.random()
                if was_paused:
                    person.status = "active" if r < 0.45 else "paused" if r < 0.75 else "ended"
                else:
                    person.status = "ended" if r < 0.18 else "paused" if r < 0.25 else "active"
                if person.status == "ended":
                    person.ending_type = ("unplanned" if was_paused and rng.random() < 0.7 else
                                          weighted(rng, {"planned": 60, "unplanned": 25, "transition": 15}))
            if person.status == "ended":
                person.end = random_date(rng, max(person.start, q_start), q_end)
            drift_scores(rng, person)

        # New starts, enough to keep the caseload near its usual size.
        target = round(p.size * rng.uniform(0.9, 1.12))
        n_new = 0 if contract_ends else max(1 if not first_quarter else 0, target - len(carried))
        n_new = max(n_new, 8 - len(carried))
        n_new = min(n_new, 60 - len(carried))
        newcomers = []
        for _ in range(n_new):
            settled = first_quarter and p.active_from < "2025-08-01" and rng.random() < 0.45
            if settled:     # in support before the programme began
                start = random_date(rng, dt.date(2024, 1, 8), q_start - dt.timedelta(days=1))
            else:
                start = random_date(rng, q_start, q_end)
            person = new_person(rng, refs, p, start, settled)
            if contract_ends:       # only to keep a closing partner above the minimum size
                person.status, person.ending_type = "ended", "transition"
                person.end = random_date(rng, start, q_end)
            elif settled:           # already in support: may end or pause like anyone else
                r = rng.random()
                if r < 0.12:
                    person.status = "ended"
                    person.ending_type = weighted(rng, {"planned": 60, "unplanned": 25, "transition": 15})
                    person.end = random_date(rng, q_start, q_end)
                elif r < 0.17:
                    person.status = "paused"
            elif rng.random() < 0.06:
                person.status, person.ending_type = "ended", "unplanned"
                person.end = random_date(rng, start, q_end)
            newcomers.append(person)
        newcomers.sort(key=lambda x: (x.start, x.ref))
        people.extend(newcomers)
        first_quarter = False

        ret = Return(p, quarter)
        for person in carried + newcomers:
            offered, attended = sessions(rng, person, quarter)
            ret.support.append({
                "partner_id": p.partner_id, "quarter": quarter, "person_ref": person.ref,
                "support_type": person.support_type, "support_status": person.status,
                "start_date": person.start.isoformat(),
                "end_date": person.end.isoformat() if person.status == "ended" else None,
                "ending_type": person.ending_type if person.status == "ended" else None,
                "sessions_offered": offered, "sessions_attended": attended,
                "discretionary_spend": spend(rng, p) if person.status != "paused" else None,
                "panel_approval_ref": None,
            })
            for goal, (baseline, current) in sorted(person.goals.items()):
                ret.outcomes.append({
                    "partner_id": p.partner_id, "quarter": quarter, "person_ref": person.ref,
                    "outcome_id": goal, "baseline_score": baseline, "current_score": current,
                })
        ret.ripple = ripple_notes(rng, p, quarter, used_notes)
        returns.append(ret)
    return returns


def plant_spends(rng: random.Random, panel: PanelRefs, returns: dict) -> None:
    for partner_id, quarter, pounds in LARGE_SPENDS:
        rows = [r for r in returns[(partner_id, quarter)].support if r["support_status"] != "paused"]
        row = rng.choice(rows)
        row["discretionary_spend"] = pounds
        row["panel_approval_ref"] = panel.make(rng)
    partner_id, quarter, pounds = AT_LIMIT_SPEND
    rows = [r for r in returns[(partner_id, quarter)].support
            if r["support_status"] == "active" and r["panel_approval_ref"] is None]
    rng.choice(rows)["discretionary_spend"] = pounds


def journey_fields(rows: list[dict]) -> None:
    """The support rows' priority groups, changes of worker and transition destinations, each from its own random
    stream so the rest of the sample is unchanged. A person's groups are the same in every quarter."""
    for r in rows:
        groups = random.Random(f"{SEED}-groups-{r['partner_id']}-{r['person_ref']}")
        r["priority_groups"] = ";".join(g[0] for g in PRIORITY_GROUPS if groups.random() < g[3]) or None
        quarter = random.Random(f"{SEED}-journey-{r['partner_id']}-{r['quarter']}-{r['person_ref']}")
        r["worker_changes"] = quarter.choice([0, 0, 0, 0, 0, 0, 0, 1, 1, 2])
        r["transition_to"] = quarter.choice(DESTINATIONS) if r["ending_type"] == "transition" else None


def awards_for(ret) -> list[dict]:
    """A return's awards behind each person's discretionary spend: one award, or two on different days, from a
    coordinator; the panel's for a spend above the limit. From its own random stream."""
    rng = random.Random(f"{SEED}-awards-{ret.partner.partner_id}-{ret.quarter}")
    q_start, q_end = quarter_bounds(ret.quarter)
    awards = []
    for r in ret.support:
        amount = r["discretionary_spend"]
        if not amount:
            continue
        pence = round(amount * 100)
        if r["panel_approval_ref"]:
            parts = [(pence, "panel")]
        elif pence >= 40000 and rng.random() < 0.4:
            first = (pence // 2 // 50) * 50
            parts = [(first, "coordinator"), (pence - first, "coordinator")]
        else:
            parts = [(pence, "coordinator")]
        days = sorted(rng.sample(range((q_end - q_start).days + 1), len(parts)))
        for (part, route), day in zip(parts, days):
            awards.append({
                "partner_id": r["partner_id"], "quarter": r["quarter"], "award_id": f"A{len(awards) + 1:03d}",
                "person_ref": r["person_ref"], "date": (q_start + dt.timedelta(days=day)).isoformat(),
                "amount": part / 100, "purpose": rng.choice(AWARD_PURPOSES), "decided_by": route,
                "panel_approval_ref": r["panel_approval_ref"] if route == "panel" else None,
            })
    return awards


def award_csv_row(r: dict) -> list[str]:
    return [r["partner_id"], r["quarter"], r["award_id"], r["person_ref"], r["date"], money(r["amount"]),
            r["purpose"], r["decided_by"], r["panel_approval_ref"] or ""]


def support_csv_row(r: dict) -> list[str]:
    return [
        r["partner_id"], r["quarter"], r["person_ref"], r["support_type"], r["support_status"],
        r["start_date"], r["end_date"] or "", r["ending_type"] or "", str(r["sessions_offered"]),
        str(r["sessions_attended"]), money(r["discretionary_spend"]), r["panel_approval_ref"] or "",
        r.get("priority_groups") or "", "" if r.get("worker_changes") is None else str(r["worker_changes"]),
        r.get("transition_to") or "",
    ]


def outcome_csv_row(r: dict) -> list[str]:
    return [r["partner_id"], r["quarter"], r["person_ref"], r["outcome_id"],
            str(r["baseline_score"]), str(r["current_score"])]


def ripple_csv_row(r: dict, yes: str = "true", no: str = "false") -> list[str]:
    return [r["partner_id"], r["quarter"], r["note_id"], r["theme"], r["outcome_id"] or "",
            r["note"], yes if r["consent_to_quote"] else no]


def form_rows(rows: list[dict], omit_blank: bool) -> list[dict]:
    out = []
    for r in rows:
        item = {}
        for k, v in r.items():
            if k in ("discretionary_spend", "amount"):
                v = json_money(v)
            if v is None and omit_blank:
                continue
            item[k] = v
        out.append(item)
    return out


def make_form(rng: random.Random, ret: Return, submitted_on: dt.date, omit_blank: bool) -> dict:
    return {
        "partner_id": ret.partner.partner_id,
        "quarter": ret.quarter,
        "submitted_on": submitted_on.isoformat(),
        "highlights": " ".join(rng.sample(HIGHLIGHTS, 2)),
        "challenges": " ".join(rng.sample(CHALLENGES, rng.randint(1, 2))),
        "what_would_help": rng.choice(WHAT_WOULD_HELP),
        "support": form_rows(ret.support, omit_blank),
        "outcomes": form_rows(ret.outcomes, omit_blank),
        "ripple": form_rows(ret.ripple, omit_blank),
    }


NARRATIVE_FIELDS = ["partner_id", "quarter", "highlights", "challenges", "what_would_help"]


def narrative_csv_row(partner_id: str, quarter: str) -> list[str]:
    """A CSV partner's narrative file: drawn from its own random stream, so the rest of the sample is unchanged.
    Highlights of two paragraphs (a blank line inside the quoted cell) show that paragraphs survive."""
    rng = random.Random(f"{SEED}-narrative-{partner_id}-{quarter}")
    first, second = rng.sample(HIGHLIGHTS, 2)
    return [partner_id, quarter, f"{first}\n\n{second}", " ".join(rng.sample(CHALLENGES, rng.randint(1, 2))),
            rng.choice(WHAT_WOULD_HELP)]


STORY_FIELDS = ["partner_id", "quarter", "story_id", "title", "text", "outcome_ids", "consent"]

# Case studies (title, two paragraphs, goals). Invented journeys, no names, no places smaller than a region.
# The last sentence of the first two is the same on purpose: the report never features a sentence twice.
STORIES = [
    ("Back in the classroom",
     "When she first came to us she had not left the house for months. The walking group was the first step, then the peer circle.\n\n"
     "This spring she enrolled on a college course and now helps new members find their feet. Being listened to made the difference.",
     "OG03;OG05"),
    ("A door kept open",
     "He paused his support twice when the inquiry hearings brought everything back. Each time his worker kept in touch by letter.\n\n"
     "He returned in the new year and has kept every session since. Being listened to made the difference.",
     "OG01;OG02"),
    ("Finding a home again",
     "After years of moving between temporary places, he found a tenancy with help from our advocate and the housing team.\n\n"
     "He says the first night with his own key was the first night he slept through.",
     "OG04"),
    ("Speaking up at the forum",
     "She joined the survivors' forum to listen and, by the third meeting, spoke about what better support would look like.\n\n"
     "The forum has since shared her ideas with the alliance's coordinators.",
     "OG06;OG05"),
    ("Cooking for the family",
     "The practical support group began with a weekly cooking session. Now he cooks for his grandchildren every Sunday.\n\n"
     "His daughter says the house feels calmer and that they talk more at the table.",
     "OG02;OG03"),
    ("A first job in years",
     "With help from the education worker she wrote her first CV and practised for interviews in the group.\n\n"
     "She started part-time work at a community café and plans to train as a peer mentor.",
     "OG05"),
    ("Sleeping through the night",
     "Counselling helped him put words to what had kept him awake for decades.\n\n"
     "He now uses the breathing exercises from the wellbeing sessions and says his sleep has changed.",
     "OG01"),
    ("Back in touch with a brother",
     "Advocacy support helped her write to a brother she had not spoken to since childhood.\n\n"
     "They now meet once a month, and she says she feels less alone.",
     "OG02;OG06"),
]
STORY_CONSENTS = ["quote", "quote", "anonymised", "internal"]


def stories_for(partner_id: str, quarter: str) -> list[dict]:
    """A return's stories: one or two from the pool, from their own random stream so the rest is unchanged."""
    rng = random.Random(f"{SEED}-stories-{partner_id}-{quarter}")
    picked = rng.sample(STORIES, rng.choice([1, 1, 2]))
    return [{"partner_id": partner_id, "quarter": quarter, "story_id": f"S{i + 1}", "title": title, "text": text,
             "outcome_ids": goals, "consent": rng.choice(STORY_CONSENTS)}
            for i, (title, text, goals) in enumerate(picked)]


def write_returns(rng: random.Random, refs: RefMaker, panel: PanelRefs) -> dict:
    used_notes: set[str] = set()
    returns: dict = {}
    for p in PARTNERS:
        for ret in simulate_partner(rng, refs, p, used_notes):
            returns[(p.partner_id, ret.quarter)] = ret
    plant_spends(rng, panel, returns)
    for ret in returns.values():
        journey_fields(ret.support)

    for (partner_id, quarter), ret in returns.items():
        if (partner_id, quarter) in MISSING_RETURNS:
            continue
        folder = OUT / "returns" / quarter
        p = ret.partner
        if p.route == "csv":
            write_text(folder / f"{partner_id}-support.csv",
                       csv_text(SUPPORT_FIELDS, [support_csv_row(r) for r in ret.support]))
            write_text(folder / f"{partner_id}-outcomes.csv",
                       csv_text(OUTCOME_FIELDS, [outcome_csv_row(r) for r in ret.outcomes]))
            write_text(folder / f"{partner_id}-ripple.csv",
                       csv_text(RIPPLE_FIELDS, [ripple_csv_row(r) for r in ret.ripple]))
            write_text(folder / f"{partner_id}-narrative.csv",
                       csv_text(NARRATIVE_FIELDS, [narrative_csv_row(partner_id, quarter)]))
            write_text(folder / f"{partner_id}-stories.csv",
                       csv_text(STORY_FIELDS, [[r[k] for k in STORY_FIELDS] for r in stories_for(partner_id, quarter)]))
            awards = awards_for(ret)
            if awards:      # a partner with no award this quarter sends no awards file
                write_text(folder / f"{partner_id}-awards.csv", csv_text(AWARD_FIELDS, [award_csv_row(r) for r in awards]))
            continue
        q_end = quarter_bounds(quarter)[1]
        days = LATE_FORMS.get((partner_id, quarter), rng.randint(6, 29))
        form = make_form(rng, ret, q_end + dt.timedelta(days=days), omit_blank=(p.route == "yaml"))
        form["stories"] = stories_for(partner_id, quarter)
        awards = awards_for(ret)
        if awards:
            form["awards"] = form_rows(awards, omit_blank=(p.route == "yaml"))
        if p.route == "json":
            write_text(folder / f"{partner_id}.json", json_text(form))
        else:
            write_text(folder / f"{partner_id}.yaml",
                       yaml_text(form, f"Quarterly return of {p.name} ({partner_id}) for {quarter}."))
    return returns


# --------------------------------------------------------------------------------------
# Invalid returns: one planted problem per file, and the manifest of what was planted
# --------------------------------------------------------------------------------------

class Manifest:
    def __init__(self) -> None:
        self.entries: list[dict] = []
        self.files: dict[str, str] = {}     # file -> what it shows (for the README)

    def describe(self, file: str, what: str) -> None:
        self.files[file] = what

    def add(self, file: str, code: str, row: int | None, field_name: str | None, note: str,
            severity: str = "error", pointer: str | None = None) -> None:
        self.entries.append({
            "file": file, "code": code, "rowNumber": row, "pointer": pointer,
            "fieldName": field_name, "severity": severity, "note": note,
        })


class InvalidMaker:
    """Builds the files of SampleData/invalid with their own person references and note IDs."""

    PARTNER = "P003"
    Q = INVALID_QUARTER

    def __init__(self, rng: random.Random, refs: RefMaker, panel: PanelRefs) -> None:
        self.rng, self.refs, self.panel = rng, refs, panel
        self.manifest = Manifest()
        self.base_support: list[list[str]] = []     # support rows for people used by outcomes files
        self.dir = OUT / "invalid"

    # ---- row builders (valid unless the caller changes something) ----

    def ref(self, style: str = "A") -> str:
        return self.refs.make(self.rng, style)

    def support(self, ref: str | None = None, partner: str | None = None, quarter: str | None = None,
                **over) -> list[str]:
        rng = self.rng
        offered = rng.randint(3, 10)
        row = {
            "partner_id": partner or self.PARTNER, "quarter": quarter or self.Q,
            "person_ref": ref or self.ref(),
            "support_type": rng.choice(["advocacy", "advocacy", "practical_support", "counselling"]),
            "support_status": "active",
            "start_date": random_date(rng, dt.date(2025, 9, 1), dt.date(2026, 6, 10)).isoformat(),
            "end_date": "", "ending_type": "", "sessions_offered": str(offered),
            "sessions_attended": str(offered - rng.randint(0, 2)), "discretionary_spend": "",
            "panel_approval_ref": "", "priority_groups": "", "worker_changes": "", "transition_to": "",
        }
        row.update(over)
        return [row[f] for f in SUPPORT_FIELDS]

    def supported_ref(self, **over) -> str:
        """A person with a valid support row in base-support.csv, for outcomes files."""
        ref = self.ref()
        self.base_support.append(self.support(ref, **over))
        return ref

    def outcome(self, ref: str, outcome_id: str = "OG01", baseline: str = "3", current: str = "5",
                partner: str | None = None) -> list[str]:
        return [partner or self.PARTNER, self.Q, ref, outcome_id, baseline, current]

    def ripple(self, note_id: str, theme: str = "confidence_skills", outcome_id: str = "OG06",
               note: str | None = None, consent: str = "true", partner: str | None = None) -> list[str]:
        text = note or f"{self.rng.choice(NOTE_SUBJECTS)} {self.rng.choice(NOTE_PREDICATES[theme])}"
        return [partner or self.PARTNER, self.Q, note_id, theme, outcome_id, text, consent]

    def write_csv(self, name: str, header: list[str], rows: list[list[str]], what: str) -> None:
        write_text(self.dir / name, csv_text(header, rows))
        self.manifest.describe(name, what)

    # ---- the files ----

    def build(self) -> None:
        self.support_problems()
        self.outcomes_problems()
        self.ripple_problems()
        self.header_problems()
        self.encoding_and_source_problems()
        self.partners_problem()
        self.base_return()          # last: it holds support rows for the outcomes files above
        FormMaker(self).build()
        MessyMaker(self).build()
        entries = sorted(self.manifest.entries,
                         key=lambda e: (e["file"], e["rowNumber"] or 0, e["pointer"] or "", e["code"],
                                        e["fieldName"] or ""))
        write_text(self.dir.parent / "invalid-expected.json", json_text(entries))

    def base_return(self) -> None:
        refs = [self.ref() for _ in range(4)]
        rows = [
            self.support(refs[0], support_type="advocacy", start_date="2025-11-03", sessions_offered="5",
                         sessions_attended="4"),
            self.support(refs[1], support_type="practical_support", start_date="2026-02-16",
                         sessions_offered="4", sessions_attended="4", discretionary_spend="1350.00",
                         panel_approval_ref=self.panel.make(self.rng)),
            self.support(refs[2], support_type="counselling", support_status="ended", start_date="2025-09-22",
                         end_date="2026-05-29", ending_type="planned", sessions_offered="8",
                         sessions_attended="7", discretionary_spend="45.00"),
            self.support(refs[3], support_type="advocacy", support_status="paused", start_date="2026-01-12",
                         sessions_offered="2", sessions_attended="1"),
        ]
        self.write_csv("base-support.csv", SUPPORT_FIELDS, rows + self.base_support,
                       "valid: the support rows that the outcomes files in this folder refer to")
        outcomes = [self.outcome(refs[0], "OG01", "3", "5"), self.outcome(refs[0], "OG02", "2", "4"),
                    self.outcome(refs[1], "OG02", "4", "4"), self.outcome(refs[2], "OG03", "3", "7"),
                    self.outcome(refs[3], "OG01", "5", "4")]
        self.write_csv("base-outcomes.csv", OUTCOME_FIELDS, outcomes,
                       "valid: outcomes for the people in base-support.csv, so the return is complete")
        self.write_csv("base-ripple.csv", RIPPLE_FIELDS,
                       [self.ripple("R1", "housing", "OG02"), self.ripple("R2", "community_connections", "", consent="false")],
                       "valid: ripple notes for the same return")

    def support_problems(self) -> None:
        m = self.manifest
        f = "type-error-support.csv"
        self.write_csv(f, SUPPORT_FIELDS, [
            self.support(),
            self.support(sessions_offered="twelve", sessions_attended="10"),
            self.support(start_date="15th July"),
        ], "type-error: a number written in words, a date in words")
        m.add(f, "type-error", 3, "sessions_offered", 'sessions_offered is "twelve", not a whole number')
        m.add(f, "type-error", 4, "start_date", 'start_date is "15th July": neither 2026-07-15 nor 15/07/2026')

        f = "constraint-error-support.csv"
        self.write_csv(f, SUPPORT_FIELDS, [
            self.support(support_type="befriending"),
            self.support(ref="K7QM_2041"),
            self.support(support_status=""),
            self.support(sessions_offered="450", sessions_attended="10"),
            self.support(),
        ], "constraint-error: an enum value not allowed, a broken pattern, a required value blank, a maximum")
        m.add(f, "constraint-error", 2, "support_type", 'support_type "befriending" is not one of the allowed values')
        m.add(f, "constraint-error", 3, "person_ref", 'person_ref "K7QM_2041" has an underscore: only letters, digits and dashes')
        m.add(f, "constraint-error", 4, "support_status", "support_status is blank but required")
        m.add(f, "constraint-error", 5, "sessions_offered", "sessions_offered 450 is above the maximum of 400")

        f = "missing-cell-support.csv"
        self.write_csv(f, SUPPORT_FIELDS, [
            self.support(),
            self.support()[:10],
            self.support(),
        ], f"missing-cell: a short row (10 cells of {len(SUPPORT_FIELDS)})")
        for name in SUPPORT_FIELDS[10:]:
            m.add(f, "missing-cell", 3, name, "row 3 stops after sessions_attended")

        f = "extra-cell-support.csv"
        self.write_csv(f, SUPPORT_FIELDS, [
            self.support(),
            self.support() + ["see email"],
            self.support(),
        ], "extra-cell: a long row (13 cells under a 12-column header)")
        m.add(f, "extra-cell", 3, None, 'row 3 has a 13th cell "see email" with no column')

        f = "blank-row-support.csv"
        self.write_csv(f, SUPPORT_FIELDS, [
            self.support(),
            self.support(),
            [""] * len(SUPPORT_FIELDS),
            self.support(),
        ], "blank-row: an empty row (all cells blank) in the middle of the data")
        m.add(f, "blank-row", 4, None, "row 4 is empty (,,,,,,,,,,,) between rows of data; it is skipped",
              severity="warning")

        f = "primary-key-support.csv"
        dup = self.ref()
        self.write_csv(f, SUPPORT_FIELDS, [
            self.support(dup, support_type="counselling", sessions_offered="9", sessions_attended="8"),
            self.support(),
            self.support(dup, support_type="group_support", sessions_offered="6", sessions_attended="6"),
        ], "primary-key: the same person twice in one support return")
        m.add(f, "primary-key", 4, "person_ref",
              f"person_ref {dup} already has a support row (row 2) for {self.PARTNER} {self.Q}")

        f = "foreign-key-partner-support.csv"
        self.write_csv(f, SUPPORT_FIELDS, [
            self.support(partner="P099"),
            self.support(partner="P099", support_type="practical_support", sessions_offered="3",
                         sessions_attended="3"),
        ], "foreign-key: a partner_id that is not in reference/partners.csv")
        m.add(f, "foreign-key", 2, "partner_id", "partner_id P099 is not in reference/partners.csv")
        m.add(f, "foreign-key", 3, "partner_id", "partner_id P099 is not in reference/partners.csv")

        f = "rule-violation-support.csv"
        limit_ref = self.panel.make(self.rng)
        self.write_csv(f, SUPPORT_FIELDS, [
            self.support(sessions_offered="6", sessions_attended="9"),
            self.support(support_status="ended", end_date="", ending_type="planned"),
            self.support(support_status="ended", end_date="2026-06-12", ending_type=""),
            self.support(support_status="ended", start_date="2026-05-04", end_date="2026-04-10",
                         ending_type="unplanned", sessions_offered="2", sessions_attended="1"),
            self.support(start_date="2026-07-14", sessions_offered="1", sessions_attended="1"),
            self.support(support_type="practical_support", discretionary_spend="1500", panel_approval_ref=""),
            self.support(quarter="2026-Q1", start_date="2026-02-02"),
            self.support(ending_type="planned"),
            self.support(support_type="practical_support", discretionary_spend="1000.00"),
            self.support(support_type="practical_support", discretionary_spend="1000.01",
                         panel_approval_ref=limit_ref),
        ], "rule-violation: one row per rule of support.schema.json (the last two rows are valid edge cases)")
        m.add(f, "rule-violation", 2, "sessions_attended", "rule attended-within-offered: 9 attended of 6 offered")
        m.add(f, "rule-violation", 3, "end_date", "rule ended-needs-end-date: ended with end_date blank")
        m.add(f, "rule-violation", 4, "ending_type", "rule ended-needs-ending-type: ended with ending_type blank")
        m.add(f, "rule-violation", 5, "end_date", "rule end-not-before-start: end_date 2026-04-10 before start_date 2026-05-04")
        m.add(f, "rule-violation", 6, "start_date", "rule start-within-quarter: start_date 2026-07-14 after 2026-06-30")
        m.add(f, "rule-violation", 7, "panel_approval_ref",
              "rule spend-above-limit-needs-panel: spend 1500 above 1000 with panel_approval_ref blank")
        m.add(f, "rule-violation", 8, "quarter", "rule quarter-matches-run: quarter 2026-Q1 in a 2026-Q2 run")
        m.add(f, "rule-violation", 9, "support_status",
              "rule ending-type-only-when-ended (a warning): ending_type planned but support_status active",
              severity="warning")

    def outcomes_problems(self) -> None:
        m = self.manifest
        f = "type-error-outcomes.csv"
        a, b, c = self.supported_ref(), self.supported_ref(), self.supported_ref()
        self.write_csv(f, OUTCOME_FIELDS, [
            self.outcome(a, "OG01", "4", "6"),
            self.outcome(b, "OG02", "three", "5"),
            self.outcome(c, "OG05", "4", "6.5"),
        ], "type-error: a score in words, a score with a decimal")
        m.add(f, "type-error", 3, "baseline_score", 'baseline_score is "three", not a whole number')
        m.add(f, "type-error", 4, "current_score", 'current_score is "6.5", not a whole number')

        f = "constraint-error-outcomes.csv"
        a, b, c = self.supported_ref(), self.supported_ref(), self.supported_ref()
        self.write_csv(f, OUTCOME_FIELDS, [
            self.outcome(a, "OG01", "5", "11"),
            self.outcome(b, "OG03", "0", "4"),
            self.outcome(c, "OG03", "2", "3"),
        ], "constraint-error: scores outside the 1 to 10 scale")
        m.add(f, "constraint-error", 2, "current_score", "current_score 11 is above the maximum of 10")
        m.add(f, "constraint-error", 3, "baseline_score", "baseline_score 0 is below the minimum of 1")

        f = "foreign-key-outcome-outcomes.csv"
        a, b = self.supported_ref(), self.supported_ref()
        self.write_csv(f, OUTCOME_FIELDS, [
            self.outcome(a, "OG04", "3", "5"),
            self.outcome(b, "OG09", "4", "6"),
        ], "foreign-key: an outcome_id that is not in reference/outcomes.csv")
        m.add(f, "foreign-key", 3, "outcome_id", "outcome_id OG09 is not in reference/outcomes.csv")

        f = "foreign-key-person-outcomes.csv"
        a, orphan = self.supported_ref(), self.ref()
        self.write_csv(f, OUTCOME_FIELDS, [
            self.outcome(a, "OG01", "2", "4"),
            self.outcome(orphan, "OG01", "3", "3"),
            self.outcome(orphan, "OG05", "4", "5"),
        ], "foreign-key: outcomes rows for a person with no support row in the return (base-support.csv has the others)")
        for row in (3, 4):
            m.add(f, "foreign-key", row, "person_ref",
                  f"person_ref {orphan} has no support row for {self.PARTNER} {self.Q} in any support file of the folder")

    def ripple_problems(self) -> None:
        m = self.manifest
        f = "type-error-ripple.csv"
        self.write_csv(f, RIPPLE_FIELDS, [
            self.ripple("TE1", "housing", "OG02"),
            self.ripple("TE2", "health_wellbeing", "OG03", consent="maybe"),
        ], "type-error: consent_to_quote is neither yes nor no")
        m.add(f, "type-error", 3, "consent_to_quote", 'consent_to_quote is "maybe", not Yes or No')

        f = "constraint-error-ripple.csv"
        self.write_csv(f, RIPPLE_FIELDS, [
            self.ripple("CE1", "family_relationships", "OG05"),
            self.ripple("CE2", "friendship", "OG05", note="Now meets two friends from the group every week."),
            self.ripple("CE3", "confidence_skills", "OG06", note="ok"),
        ], "constraint-error: a theme not in the list, a note shorter than 3 characters")
        m.add(f, "constraint-error", 3, "theme", 'theme "friendship" is not one of the allowed themes')
        m.add(f, "constraint-error", 4, "note", 'note "ok" is shorter than the minimum of 3 characters')

        f = "foreign-key-outcome-ripple.csv"
        self.write_csv(f, RIPPLE_FIELDS, [
            self.ripple("FK1", "education_employment", "OG06"),
            self.ripple("FK2", "education_employment", "OG07"),
        ], "foreign-key: a ripple note related to an outcome goal that does not exist")
        m.add(f, "foreign-key", 3, "outcome_id", "outcome_id OG07 is not in reference/outcomes.csv")

        f = "primary-key-ripple.csv"
        self.write_csv(f, RIPPLE_FIELDS, [
            self.ripple("PK1", "housing", "OG02"),
            self.ripple("PK2", "community_connections", "OG05"),
            self.ripple("PK1", "health_wellbeing", "OG04"),
        ], "primary-key: the same note_id twice in one return")
        m.add(f, "primary-key", 4, "note_id", f"note_id PK1 already used in row 2 for {self.PARTNER} {self.Q}")

    def header_problems(self) -> None:
        m = self.manifest
        f = "duplicate-label-support.csv"
        header = SUPPORT_FIELDS + ["sessions_offered"]
        rows = []
        for _ in range(2):
            r = self.support()
            rows.append(r + [r[SUPPORT_FIELDS.index("sessions_offered")]])
        self.write_csv(f, header, rows, "duplicate-label: sessions_offered twice in the header (same values in both)")
        m.add(f, "duplicate-label", 1, "sessions_offered", "column 13 repeats the header sessions_offered of column 9")

        f = "missing-label-support.csv"
        keep = [x for x in SUPPORT_FIELDS if x != "support_type"]
        rows = [[v for k, v in zip(SUPPORT_FIELDS, self.support()) if k != "support_type"] for _ in range(2)]
        self.write_csv(f, keep, rows, "missing-label: the required column support_type is absent")
        m.add(f, "missing-label", 1, "support_type", "no support_type column; nothing is reported per row")

        f = "misspelt-label-support.csv"
        header = ["sesions_offered" if x == "sessions_offered" else x for x in SUPPORT_FIELDS]
        self.write_csv(f, header, [self.support(), self.support()],
                       "missing-label: the header sesions_offered is a misspelling of sessions_offered")
        m.add(f, "missing-label", 1, "sessions_offered",
              "header sesions_offered (column 9) should be sessions_offered: one finding with that suggestion, "
              "no extra-label and nothing per row")

        f = "extra-label-support.csv"
        rows = [self.support() + ["moved to evening group"], self.support() + [""]]
        self.write_csv(f, SUPPORT_FIELDS + ["comments"], rows, "extra-label: an unknown column comments")
        m.add(f, "extra-label", 1, "comments", "column 13 comments is not in the schema; it is ignored",
              severity="warning")

        f = "blank-label-support.csv"
        rows = [self.support() + ["checked"], self.support() + ["checked"]]
        self.write_csv(f, SUPPORT_FIELDS + [""], rows, "blank-label: a column with an empty header cell")
        m.add(f, "blank-label", 1, None, "column 13 has no header but holds values; it is ignored",
              severity="warning")

    def encoding_and_source_problems(self) -> None:
        m = self.manifest
        f = "encoding-error-utf8-ripple.csv"
        rows = [
            self.ripple("EE1", "community_connections", "OG05",
                        note="One group member now runs the café table at the Saturday market."),
            self.ripple("EE2", "community_connections", "OG05",
                        note="A young adult we support helped cater the community caf@@BAD@@ opening."),
        ]
        data = csv_text(RIPPLE_FIELDS, rows).encode("utf-8").replace(b"@@BAD@@", b"\xe9")
        write_bytes(self.dir / f, data)
        m.describe(f, "encoding-error: a Latin-1 byte (0xE9) in a UTF-8 file that also holds a valid é")
        m.add(f, "encoding-error", 3, "note", "byte 0xE9 (a Windows-1252 é) is not valid UTF-8; row 2 has a valid UTF-8 é")

        f = "encoding-error-nul-ripple.csv"
        rows = [
            self.ripple("NB1", "health_wellbeing", "OG03"),
            self.ripple("NB2", "health_wellbeing", "OG04",
                        note="A person in our evening group is sleeping better@@NUL@@ since the grounding sessions."),
        ]
        data = csv_text(RIPPLE_FIELDS, rows).encode("utf-8").replace(b"@@NUL@@", b"\x00")
        write_bytes(self.dir / f, data)
        m.describe(f, "encoding-error: a NUL byte inside a note")
        m.add(f, "encoding-error", 3, "note", "a NUL byte (0x00) inside the note")

        f = "source-error-ripple.csv"
        rows = [self.ripple("SE1", "family_relationships", "OG05"),
                self.ripple("SE2", "confidence_skills", "OG06")]
        text = csv_text(RIPPLE_FIELDS, rows)
        text += (f'{self.PARTNER},{self.Q},SE3,family_relationships,OG05,'
                 '"They now phone their brother every Sunday,true\n')
        write_text(self.dir / f, text)
        m.describe(f, "source-error: a quote opened in the last row's note is never closed")
        m.add(f, "source-error", 4, "note",
              "the quote that opens the note in row 4 is never closed before the end of the file; rows 2 and 3 are valid")

    def partners_problem(self) -> None:
        f = "unique-error-partners.csv"
        rows = [
            ["P001", "Bothy Light Counselling", "Highland", "F01", "2025-07-01", ""],
            ["P002", "Larchwood Survivors' Network", "Glasgow", "F01;F02", "2025-07-01", ""],
            ["P003", "Bothy Light Counselling", "Lothian", "F02", "2025-07-01", ""],
        ]
        self.write_csv(f, PARTNER_FIELDS, rows, "unique-error: a partners.csv with two partners of the same name")
        self.manifest.add(f, "unique-error", 4, "name", '"Bothy Light Counselling" is already the name of P001 (row 2)')


# --------------------------------------------------------------------------------------
# Forms: SampleData/invalid/forms
# --------------------------------------------------------------------------------------

class FormMaker:
    def __init__(self, inv: InvalidMaker) -> None:
        self.inv = inv
        self.rng = inv.rng
        self.dir = inv.dir / "forms"

    def form(self, partner: str, people: int = 3, submitted_on: str = "2026-07-16",
             omit_blank: bool = False) -> dict:
        rng, q = self.rng, INVALID_QUARTER
        support, outcomes = [], []
        types = ["counselling", "group_support", "peer_support", "wellbeing_activity", "advocacy"]
        for i in range(people):
            ref = self.inv.ref("B")
            status = "ended" if i == 1 else "active"
            offered = rng.randint(5, 12)
            row = {
                "partner_id": partner, "quarter": q, "person_ref": ref, "support_type": types[i % len(types)],
                "support_status": status, "start_date": f"2026-0{rng.randint(1, 4)}-{rng.randint(10, 28)}",
                "end_date": "2026-06-19" if status == "ended" else None,
                "ending_type": "planned" if status == "ended" else None,
                "sessions_offered": offered, "sessions_attended": offered - rng.randint(0, 3),
                "discretionary_spend": 60 if i == 0 else None, "panel_approval_ref": None,
            }
            support.append({k: v for k, v in row.items() if not (omit_blank and v is None)})
            outcomes.append({"partner_id": partner, "quarter": q, "person_ref": ref,
                             "outcome_id": ["OG03", "OG05", "OG04", "OG01"][i % 4],
                             "baseline_score": 3 + i % 3, "current_score": 5 + i % 3})
        ripple = [{"partner_id": partner, "quarter": q, "note_id": "R1", "theme": "community_connections",
                   "outcome_id": "OG05",
                   "note": f"{rng.choice(NOTE_SUBJECTS)} {rng.choice(NOTE_PREDICATES['community_connections'])}",
                   "consent_to_quote": True}]
        return {
            "partner_id": partner, "quarter": q, "submitted_on": submitted_on,
            "highlights": rng.choice(HIGHLIGHTS), "challenges": rng.choice(CHALLENGES),
            "what_would_help": rng.choice(WHAT_WOULD_HELP),
            "support": support, "outcomes": outcomes, "ripple": ripple,
        }

    def write(self, name: str, text: str, what: str) -> str:
        write_text(self.dir / name, text)
        path = f"forms/{name}"
        self.inv.manifest.describe(path, what)
        return path

    def build(self) -> None:
        m = self.inv.manifest
        self.write("valid-form.json", json_text(self.form("P002")), "valid: a JSON form with nulls for blanks")
        self.write("valid-form.yaml", yaml_text(self.form("P005", omit_blank=True), "A valid YAML form."),
                   "valid: a YAML form with blank values left out")

        text = json_text(self.form("P009"))
        broken = text.replace("},\n    {", "}\n    {", 1)      # drop the comma between support[0] and [1]
        line = broken[:broken.index("}\n    {")].count("\n") + 2
        f = self.write("source-error-form.json", broken, "source-error: not valid JSON (a missing comma)")
        m.add(f, "source-error", None, None, f"a comma is missing between support[0] and support[1] (line {line})")

        form = self.form("P011", omit_blank=True)
        text = yaml_text(form).replace(f"highlights: {yaml_scalar(form['highlights'])}",
                                       "highlights: New groups started: one on Mondays and one on Thursdays.")
        f = self.write("source-error-form.yaml", text, "source-error: not valid YAML (an unquoted colon in a value)")
        m.add(f, "source-error", None, None, "the unquoted highlights value contains ': ', which YAML cannot read (line 4)")

        form = self.form("P006")
        del form["submitted_on"]
        f = self.write("missing-submitted-on-form.json", json_text(form), "form-error: no submitted_on")
        m.add(f, "form-error", None, "submitted_on", "the required envelope field submitted_on is missing",
              pointer="/submitted_on")

        form = self.form("P010", submitted_on="15th July", omit_blank=True)
        f = self.write("bad-submitted-on-form.yaml", yaml_text(form), 'form-error: submitted_on is "15th July"')
        m.add(f, "form-error", None, "submitted_on", 'submitted_on "15th July" is not a date like 2026-07-15',
              pointer="/submitted_on")

        form = self.form("P008")
        form["support"][1]["partner_id"] = "P004"
        del form["outcomes"][1]       # keep the row's person out of outcomes, so only the mismatch shows
        f = self.write("partner-mismatch-form.json", json_text(form),
                       "form-error: a support row's partner_id differs from the envelope's")
        m.add(f, "form-error", None, "partner_id", "support[1] says P004 but the form is from P008",
              pointer="/support/1/partner_id")

        form = self.form("P014")
        form["comments"] = "Please call if anything is unclear."
        f = self.write("unknown-key-form.json", json_text(form), "form-error: an unknown top-level key comments")
        m.add(f, "form-error", None, "comments", "comments is not a field of the form; it is ignored",
              severity="warning", pointer="/comments")

        form = self.form("P001", people=4)
        form["support"][3]["sessions_offered"] = "twelve"
        f = self.write("type-error-form.json", json_text(form), 'type-error: "sessions_offered": "twelve" in a row')
        m.add(f, "type-error", None, "sessions_offered", 'support[3].sessions_offered is "twelve", not a whole number',
              pointer="/support/3/sessions_offered")

        form = self.form("P004", omit_blank=True)
        text = yaml_text(form)
        attended = form["support"][1]["sessions_attended"]
        marker = f"    sessions_attended: {attended}\n"
        first = text.index("  - partner_id", text.index("  - partner_id") + 1)   # support[1]
        at = text.index(marker, first)
        text = text[:at + len(marker)] + f"    sessions_attended: {attended - 1}\n" + text[at + len(marker):]
        line = text[:at].count("\n") + 2
        f = self.write("duplicate-key-form.yaml", text, "source-error: a YAML mapping with a duplicate key")
        m.add(f, "source-error", None, None,
              f"support[1] has sessions_attended twice with different values (line {line})")


# --------------------------------------------------------------------------------------
# Messy but valid: SampleData/invalid/messy-but-valid
# --------------------------------------------------------------------------------------

class MessyMaker:
    """Each variant is a complete, valid return (support, outcomes, ripple) of one partner for 2026-Q2."""

    VARIANTS = [
        # name, partner, what it shows
        ("utf8-bom", "P001", "UTF-8 with a byte-order mark"),
        ("cp1252", "P002", "Windows-1252: a £1,200.50 spend (with panel ref) and an é in a note"),
        ("utf16le-tab", "P004", "UTF-16 LE with BOM, tab-separated, CRLF (Excel's Unicode text export, .txt)"),
        ("utf16be", "P005", "UTF-16 BE with BOM, comma-separated"),
        ("crlf", "P006", "CRLF line ends"),
        ("cr-only", "P007", "CR-only line ends (old Mac)"),
        ("uk-dates", "P008", "UK dates such as 31/03/2026"),
        ("pound-amounts", "P009", "£ amounts with thousands separators (£1,200.50, £2,350)"),
        ("yes-no", "P010", "Yes/No booleans in consent_to_quote"),
        ("stray-spaces", "P011", "stray spaces around values and header names"),
        ("trailing-blank-rows", "P012", "trailing blank rows: ,,,, lines and empty lines at the end"),
        ("quoted-fields", "P014", "quoted fields with embedded commas, doubled quotes and newlines"),
    ]

    def __init__(self, inv: InvalidMaker) -> None:
        self.inv = inv
        self.rng = inv.rng
        self.dir = inv.dir / "messy-but-valid"

    def rows(self, variant: str, partner: str):
        rng, q = self.rng, INVALID_QUARTER
        uk = variant == "uk-dates"

        def d(iso: str) -> str:
            return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}" if uk else iso

        support, outcomes = [], []
        plans = [("active", "2026-03-31", "", ""), ("active", "2026-04-20", "", ""),
                 ("ended", "2025-10-06", "2026-06-30", "planned"), ("paused", "2026-01-19", "", "")]
        spends = {"cp1252": ["£1,200.50", "", "35.00", ""],
                  "pound-amounts": ["£1,200.50", "£85", "£2,350", "£240.00"]}.get(variant, ["", "42.50", "", ""])
        style = "ABCD"[[v[0] for v in self.VARIANTS].index(variant) % 4]
        for i, (status, start, end, ending) in enumerate(plans):
            ref = self.inv.ref(style)
            offered = rng.randint(6, 12) if status != "paused" else 2
            spend_value = spends[i]
            amount = float(spend_value.replace("£", "").replace(",", "") or 0)
            needs_panel = amount > COORDINATOR_LIMIT
            support.append([partner, q, ref, ["counselling", "peer_support", "group_support", "education"][i],
                            status, d(start), d(end) if end else "", ending, str(offered),
                            str(offered - rng.randint(0, 2) if status != "paused" else 1), spend_value,
                            self.inv.panel.make(rng) if needs_panel else ""])
            for g in (["OG03", "OG05"] if i % 2 == 0 else ["OG04"]):
                base = rng.randint(2, 5)
                outcomes.append([partner, q, ref, g, str(base), str(min(10, base + rng.randint(0, 3)))])
        notes = {
            "cp1252": "A person in our evening group now runs the café table at the Saturday market.",
            "utf8-bom": "One participant’s sister came to the family day — the first time in years.",
            "utf16le-tab": "One group member’s confidence has grown: they now chair the residents’ meeting.",
            "utf16be": "A young adult we support says the group is “the one place I can be myself”.",
            "quoted-fields": 'One participant said, "I didn\'t think anyone would listen, but they did."\n'
                             "Now they help at the drop-in, two mornings a week.",
        }
        first_note = notes.get(variant, f"{rng.choice(NOTE_SUBJECTS)} {rng.choice(NOTE_PREDICATES['confidence_skills'])}")
        yes, no = ("Yes", "No") if variant == "yes-no" else ("true", "false")
        ripple = [[partner, q, f"M{variant[:6].upper().replace('-', '')}1", "confidence_skills", "OG06", first_note, yes],
                  [partner, q, f"M{variant[:6].upper().replace('-', '')}2", "housing", "",
                   f"{rng.choice(NOTE_SUBJECTS)} {rng.choice(NOTE_PREDICATES['housing'])}", no]]
        return support, outcomes, ripple

    def render(self, variant: str, header: list[str], rows: list[list[str]]) -> bytes:
        if variant == "stray-spaces":
            header = [f" {h}" if i % 3 == 0 else h for i, h in enumerate(header)]
            rows = [[f" {v} " if v and i % 2 == 0 else (f"{v} " if v else v) for i, v in enumerate(r)] for r in rows]
        if variant == "quoted-fields":
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows([header] + rows)
            text = buf.getvalue()
        elif variant == "utf16le-tab":
            buf = io.StringIO()
            csv.writer(buf, delimiter="\t", lineterminator="\r\n").writerows([header] + rows)
            text = buf.getvalue()
        else:
            text = csv_text(header, rows)
        if variant == "trailing-blank-rows":
            text += "," * (len(header) - 1) + "\n" + "," * (len(header) - 1) + "\n\n\n"
        if variant == "crlf":
            text = text.replace("\n", "\r\n")
        if variant == "cr-only":
            text = text.replace("\n", "\r")
        if variant == "utf8-bom":
            return b"\xef\xbb\xbf" + text.encode("utf-8")
        if variant == "cp1252":
            return text.encode("cp1252")
        if variant == "utf16le-tab":
            return b"\xff\xfe" + text.encode("utf-16-le")
        if variant == "utf16be":
            return b"\xfe\xff" + text.encode("utf-16-be")
        return text.encode("utf-8")

    def build(self) -> None:
        for variant, partner, what in self.VARIANTS:
            support, outcomes, ripple = self.rows(variant, partner)
            ext = "txt" if variant == "utf16le-tab" else "csv"
            # The variants keep the support header of the years before priority_groups, worker_changes and
            # transition_to: a file may leave those columns out.
            for kind, header, rows in (("support", SUPPORT_FIELDS[:12], support), ("outcomes", OUTCOME_FIELDS, outcomes),
                                       ("ripple", RIPPLE_FIELDS, ripple)):
                name = f"{variant}-{kind}.{ext}"
                write_bytes(self.dir / name, self.render(variant, header, rows))
                self.inv.manifest.describe(f"messy-but-valid/{name}", f"valid: {what}")


# --------------------------------------------------------------------------------------
# README
# --------------------------------------------------------------------------------------

def write_readme(returns: dict, manifest: Manifest) -> None:
    lines = []
    for quarter in QUARTERS:
        sent = [k for k in returns if k[1] == quarter and k not in MISSING_RETURNS]
        people = sum(len(returns[k].support) for k in sent)
        lines.append(f"| {quarter} | {len(sent)} | {people} |")
    quarter_table = "\n".join(lines)
    routes = {r: ", ".join(p.partner_id for p in PARTNERS if p.route == r) for r in ("csv", "json", "yaml")}
    counts: dict[str, int] = {}
    for e in manifest.entries:
        counts[e["file"]] = counts.get(e["file"], 0) + 1
    file_rows = "\n".join(f"| `{f}` | {what} | {counts.get(f, 0)} |" for f, what in sorted(manifest.files.items())
                          if not f.startswith("messy-but-valid/"))
    messy_rows = "\n".join(f"| `{v}-support`, `-outcomes`, `-ripple` (.{'txt' if v == 'utf16le-tab' else 'csv'}) "
                           f"| {p} | {what} |" for v, p, what in MessyMaker.VARIANTS)
    late = ", ".join(f"{p} {q}" for p, q in sorted(LATE_FORMS))
    missing = ", ".join(f"{p} {q}" for p, q in sorted(MISSING_RETURNS))
    text = f"""\
# Sample data

A synthetic workspace for `impact`: the programme settings, reference tables and four quarters of
returns of the made-up **{PROGRAMME}**, plus files with planted problems for testing the validator.
Every organisation, funder, reference and note is invented; there is no real person in here.

Everything in this folder is written by `scripts/sample-data/generate.py` (standard library only,
fixed seed, no clock: running it twice gives byte-identical files). Do not edit the files by hand;
change the script and run, from the repository root:

```
python3 scripts/sample-data/generate.py
python3 scripts/sample-data/check.py        # an independent check of what was written
```

**Why a second generator beside `impact generate`.** `impact generate` makes workspaces of any size from a
seed (the benchmarks, the tests of scale and of planted problems); this folder is something else: a small,
hand-shaped story whose figures people read in `Reports/examples/` and the docs. Its 14 named partners,
their regions and funders, a partner that starts mid-year and one whose contract ends, the form formats
mixed on purpose, the quotes, and the files in `invalid/` each with one planted problem at a known row, are
written out by hand in the script, and its independent checker (`check.py`) recomputes the sample's
figures without any of `impact`'s code. Producing the same files from `impact generate` would mean giving
the product options for each of those hand-made details, and would make the sample's expected figures
depend on the code under test. So the Python script stays, as test data, outside the product.

## The workspace

```
impact.yaml                 programme settings (commented)
reference/partners.csv      14 partners P001..P014, Scottish regions, funders F01..F03
reference/funders.csv       3 funders
reference/outcomes.csv      6 outcome goals OG01..OG06 under 3 pathways
reference/themes.csv        6 learning themes with keywords, for the report's learning section
Reports/commentary/         the impact lead's commentary on 2026-Q2, which opens that quarter's report
returns/<quarter>/          {", ".join(QUARTERS)}
```

It is a valid workspace: `impact validate SampleData/returns/2026-Q2 --reference SampleData/reference
--quarter 2026-Q2` (and the same for each quarter) should report no error and no warning.

| quarter | returns | people supported |
|---|---|---|
{quarter_table}

- CSV returns (`P001-support.csv`, `P001-outcomes.csv`, `P001-ripple.csv`, and the narrative in
  `P001-narrative.csv`, its highlights in two paragraphs): {routes["csv"]}.
- JSON forms (`P002.json`, blank values as `null`, the narrative as the envelope's fields): {routes["json"]}.
- YAML forms (`P005.yaml`, blank values left out): {routes["yaml"]}.
- Every return has one or two stories (case studies): `P001-stories.csv`, or the form's `stories` list,
  each with its consent (quote, anonymised or internal); two of the stories share a sentence on purpose,
  and the report never features it twice.
- P012 starts on 2026-01-01, so its first return is 2026-Q1; P013's contract ended on 2025-12-31,
  so every person it supported ended in 2025-Q4 (mostly transitions) and it has no 2026 returns.
- Missing return: {missing}. Late forms (more than {DUE_DAYS} days after the quarter end): {late}.
- Small partners (P007, P011, P014) have 8 to 12 people, so several of their counts fall below the
  disclosure threshold of {DISCLOSURE_THRESHOLD}.
- People keep their pseudonymous `person_ref` across quarters; each quarter has new starts, people
  continuing, some paused and some ended (planned, unplanned or transition). Baseline scores stay
  fixed and current scores drift, mostly upwards.
- Discretionary spend is mostly blank or small; a few spends are above the coordinator limit of
  {COORDINATOR_LIMIT}, each with a `panel_approval_ref`, and one spend is exactly {COORDINATOR_LIMIT}.00
  (allowed without a panel reference, as the limit means "above").

## invalid/

Returns for 2026-Q2 with planted problems, one kind of problem per file, for testing the
validator. Run it on the whole folder:

```
impact validate SampleData/invalid --reference SampleData/reference --quarter 2026-Q2
```

The files are meant to be read together: the CSV files at the top level are all partner P003's
2026-Q2 return (except `foreign-key-partner-support.csv`, P099, and `unique-error-partners.csv`), so
an outcomes file finds its people's support rows in `base-support.csv`. Every file has its own person
references and note IDs, so nothing collides across files, and everything not named as the problem
is valid.

`invalid-expected.json` (beside `invalid/`, so that it is not read as a return) lists every planted finding: `file` (relative to `invalid/`), `code`,
`rowNumber` (the header is row 1, as in Excel; a quoted cell with a line break is still one row;
`1` for header problems; `null` for forms), `pointer` (a JSON pointer for forms, else `null`),
`fieldName` (`null` where no column applies), `severity` and a `note`. A test should find each of
them and nothing else. Conventions the manifest assumes:

- a blank required value is a `constraint-error`; a short row gives one `missing-cell` per missing
  cell; a long row one `extra-cell`; a blank row in the middle is a `blank-row` warning (blank rows
  at the end are ignored);
- a misspelt header gives one `missing-label` for the expected name (with a suggestion) and no
  `extra-label`; an absent column gives one `missing-label` and nothing per row; an unknown column
  (`extra-label`) or a column without a header (`blank-label`) is a warning and is ignored;
- a rule is only checked when the cells it uses hold valid values: a blank `end_date` or a cell with
  a type error does not break `end_date >= start_date`; a `rule-violation` names the first field in
  the rule's `assert`;
- a duplicate key or an orphan outcomes row is reported on the later row, with `person_ref`
  (or `note_id`) as the field;
- a file that is not valid UTF-8 but holds valid multi-byte UTF-8 elsewhere is read as UTF-8 and each
  bad byte is an `encoding-error` in its cell (so is a NUL byte); a file with no valid multi-byte
  UTF-8 at all is read as Windows-1252 without a finding;
- form envelope problems are `form-error`s at a JSON pointer; an unknown top-level key is a warning;
  unreadable JSON or YAML (including a duplicate YAML key) is a `source-error` with no pointer.

| file | what it shows | findings |
|---|---|---|
{file_rows}


### invalid/messy-but-valid/

Files that must give no finding at all, not even a warning: what partners really send. Each
variant is a complete 2026-Q2 return (support, outcomes, ripple) of its own partner.

| files | partner | what they show |
|---|---|---|
{messy_rows}
"""
    write_text(OUT / "README.md", text)


# --------------------------------------------------------------------------------------

COMMENTARY_2026_Q2 = """# The quarter in brief

Thirteen partners sent their returns, all accepted; eight of them were late, so the reminder in the
second week of July moves to the first week from next quarter.

## What stands out

- More people are active than a year ago, and attendance held up over the summer.
- **Travel and waiting times** are the challenges partners name most often (see *Learning across the
  network*); the next learning session takes them first.
- The stories this quarter show what the figures cannot: people coming back after a pause, and finding a
  home of their own.

Interpretation is the impact lead's; the figures below are exact and internal.
"""


def write_commentary() -> None:
    """The impact lead's commentary on the latest quarter (Reports/commentary/<quarter>.md)."""
    write_text(OUT / "Reports" / "commentary" / "2026-Q2.md", COMMENTARY_2026_Q2)


def clean() -> None:
    for name in ("reference", "returns", "invalid", "Reports"):
        shutil.rmtree(OUT / name, ignore_errors=True)
    for name in ("impact.yaml", "README.md"):
        (OUT / name).unlink(missing_ok=True)


def main() -> None:
    check_schema_field_order()
    clean()
    OUT.mkdir(exist_ok=True)
    refs, panel = RefMaker(), PanelRefs()
    write_settings()
    write_reference()
    write_commentary()
    returns = write_returns(random.Random(SEED), refs, panel)
    invalid = InvalidMaker(random.Random(SEED + 1), refs, panel)
    invalid.build()
    write_readme(returns, invalid.manifest)
    print(f"wrote {sum(1 for p in OUT.rglob('*') if p.is_file())} files under {OUT.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
