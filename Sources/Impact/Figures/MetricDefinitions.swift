// MARK: - Definitions of every figure

/// The definition of one figure, as docs/metrics.md and the reports' definitions give it.
struct MetricDefinition: Sendable, Hashable {
    /// A stable ID (`people-supported`).
    var id: String
    /// The figure's name as reports show it.
    var name: String
    /// What it counts and how, in Markdown (backticks for column names).
    var definition: String
}

/// A group of definitions.
struct MetricSection: Sendable, Hashable {
    /// The section's title.
    var title: String
    /// A sentence on what the figures of the section cover.
    var scope: String
    /// Its definitions.
    var metrics: [MetricDefinition]
}

/// Every figure's definition: the one source of docs/metrics.md and of the reports' definitions.
///
/// The figures are computed in `FigureCalculator`; the doc comments of the figure types carry the same
/// words (a test checks it), and a test fails when docs/metrics.md is not `markdown()`.
enum MetricDefinitions {
    /// The sections, in the order the reports give them.
    static let sections: [MetricSection] = [
        MetricSection(
            title: "Support",
            scope: "Per partner from its accepted return for the quarter, and for the network from all accepted returns.",
            metrics: [
                MetricDefinition(
                    id: "people-supported", name: "People supported",
                    definition:
                        "The number of distinct `person_ref` values in a partner's accepted support table for the quarter. For the network, the sum over partners: references are pseudonyms chosen by each partner, so a person supported by two partners counts twice."
                ),
                MetricDefinition(
                    id: "new-starts", name: "New starts",
                    definition: "People whose `start_date` falls within the quarter, from its first to its last day."),
                MetricDefinition(
                    id: "status", name: "Active, paused, ended",
                    definition: "People whose `support_status` is `active`, `paused` or `ended` in the quarter's return."),
                MetricDefinition(
                    id: "endings", name: "Endings: planned, unplanned, transition",
                    definition:
                        "Among people whose support ended (`support_status` is `ended`), how many endings were `planned`, `unplanned` or a `transition` to other support, from `ending_type`."
                ),
                MetricDefinition(
                    id: "median-length", name: "Median length of support so far",
                    definition:
                        "The median over people with a `start_date` of the days from `start_date` to `end_date`, or to the quarter's last day when there is no `end_date`. With an even number of people it is the mean of the middle two, so it may end in .5. For the network, the median over the people of all partners; no data when nobody has a start date."
                ),
                MetricDefinition(
                    id: "sessions-offered", name: "Sessions offered",
                    definition: "The sum of `sessions_offered` over the people whose row gives it."),
                MetricDefinition(
                    id: "sessions-attended", name: "Sessions attended",
                    definition: "The sum of `sessions_attended` over the people whose row gives it."),
                MetricDefinition(
                    id: "attendance-rate", name: "Attendance rate",
                    definition:
                        "The sum of `sessions_attended` divided by the sum of `sessions_offered`, over the people whose row gives both; no data when no sessions were offered."
                ),
                MetricDefinition(
                    id: "discretionary-total", name: "Discretionary fund spent",
                    definition:
                        "The sum of `discretionary_spend` over all people, in the programme's currency, exact to the minor unit (the penny)."
                ),
                MetricDefinition(
                    id: "discretionary-spends", name: "Discretionary spends",
                    definition: "The number of people with a `discretionary_spend` above zero."),
                MetricDefinition(
                    id: "above-limit-count", name: "Spends above the coordinator limit",
                    definition:
                        "The number of discretionary spends above `coordinator_limit` (impact.yaml); each needs the panel's approval."
                ),
                MetricDefinition(
                    id: "above-limit-total", name: "Total above the coordinator limit",
                    definition: "The sum of the discretionary spends above `coordinator_limit`."),
                MetricDefinition(
                    id: "above-limit-approved", name: "With panel approval",
                    definition:
                        "Of the spends above `coordinator_limit`, how many carry a `panel_approval_ref`. Every one should; the report names the partners where one does not."
                ),
            ]),
        MetricSection(
            title: "Outcome goals",
            scope: "Per goal in reference/outcomes.csv, per partner and for the network, from the accepted outcomes tables.",
            metrics: [
                MetricDefinition(
                    id: "goal-people", name: "People working towards a goal",
                    definition:
                        "People with an outcomes row for the goal (distinct `person_ref` per partner; for the network, summed over partners)."
                ),
                MetricDefinition(
                    id: "mean-change", name: "Mean change from baseline",
                    definition:
                        "The mean of `current_score` minus `baseline_score` over the people working towards the goal; no data when there are none."
                ),
                MetricDefinition(
                    id: "improved", name: "Improved",
                    definition:
                        "People whose `current_score` is at least `improvement_points` (impact.yaml) above their `baseline_score`."
                ),
                MetricDefinition(
                    id: "share-improved", name: "Share improved",
                    definition: "Improved people divided by people working towards the goal; no data when there are none."),
                MetricDefinition(
                    id: "target-met", name: "Target met",
                    definition:
                        "Met when the share improved is at or above the goal's `target_improved_share` (reference/outcomes.csv), not met when below, no data when nobody works towards the goal."
                ),
            ]),
        MetricSection(
            title: "Journeys and the shape of support",
            scope:
                "From the accepted support and outcomes tables: the quarter's, and for journeys each partner's returns of the history's quarters up to it (a person is a person at one partner).",
            metrics: [
                MetricDefinition(
                    id: "support-by-type", name: "Support by type",
                    definition:
                        "People, sessions offered and attended, and the attendance rate, by `support_type` (the schema's order, then others alphabetically)."
                ),
                MetricDefinition(
                    id: "length-distribution", name: "Length of support: quartiles and bands",
                    definition:
                        "The lengths of support so far as quartiles and bands, with the people supported for longer than `support.max_days` (impact.yaml)."
                ),
                MetricDefinition(
                    id: "length-bands", name: "Bands of length",
                    definition:
                        "The bands are under 3 months (up to 90 days), 3 to 6 months (91 to 182 days), 6 to 12 months (183 to 365 days), 1 to 2 years (366 to 730 days) and over 2 years."
                ),
                MetricDefinition(
                    id: "quartiles", name: "Quartiles",
                    definition:
                        "The quartiles of some values: the median, and the medians of the values below and above it (the middle value left out when the count is odd); nil when there are none."
                ),
                MetricDefinition(
                    id: "destinations", name: "Where transitions lead",
                    definition:
                        "Among transition endings, how many led to each `transition_to` (blank counts as not recorded)."
                ),
                MetricDefinition(
                    id: "continuity", name: "Kept the same worker",
                    definition:
                        "Among people whose row gives `worker_changes`, how many kept the same worker all quarter (0 changes)."
                ),
                MetricDefinition(
                    id: "paused-last-quarter", name: "Paused last quarter",
                    definition:
                        "People whose support was `paused` in the previous quarter's return of their partner, at partners with an accepted return in both quarters."
                ),
                MetricDefinition(
                    id: "reengagement-rate", name: "Re-engagement after a pause",
                    definition:
                        "People re-engaged divided by people paused last quarter; no data when nobody was paused."
                ),
                MetricDefinition(
                    id: "pauses-ended", name: "Pauses that ended",
                    definition:
                        "How long the pauses that ended in a return to support this quarter lasted, in consecutive quarters paused."
                ),
                MetricDefinition(
                    id: "paused-now", name: "Paused now",
                    definition:
                        "People paused at the end of this quarter, by how many consecutive quarters they have been paused."
                ),
                MetricDefinition(
                    id: "came-back", name: "Came back after leaving",
                    definition:
                        "People in this quarter's return who were in an earlier return of the same partner and had left: their support had ended, or they were missing from the partner's return of the quarter before."
                ),
                MetricDefinition(
                    id: "improved-people", name: "Improved since starting",
                    definition:
                        "People whose outcomes first showed an improvement (a change of at least `improvement_points` on any goal) in this quarter or earlier, among people who started on or after the first day of the history."
                ),
                MetricDefinition(
                    id: "days-to-first-improvement", name: "Time to first improvement",
                    definition:
                        "Days from `start_date` to the last day of the quarter of the first improvement, as quartiles."
                ),
            ]),
        MetricSection(
            title: "Reach and the discretionary fund award by award",
            scope: "From the quarter's accepted support tables (`priority_groups`, with reference/priority-groups.csv) and awards tables.",
            metrics: [
                MetricDefinition(
                    id: "reach", name: "People in each priority group",
                    definition:
                        "People in each priority group named in `priority_groups`, and the people supported by partners that name any: the base of the shares."
                ),
                MetricDefinition(
                    id: "reach-base", name: "Base of the shares",
                    definition:
                        "People supported by partners that name a priority group for at least one person in the quarter: the base of the shares (a partner that records none shows nothing of its reach)."
                ),
                MetricDefinition(
                    id: "reach-share", name: "Share in a group",
                    definition:
                        "The share of the base in a group; no data when the base is 0."
                ),
                MetricDefinition(
                    id: "fund-partners", name: "Partners sending awards",
                    definition:
                        "Partners whose accepted return holds an awards table."
                ),
                MetricDefinition(
                    id: "awards", name: "Awards",
                    definition:
                        "The number of awards."
                ),
                MetricDefinition(
                    id: "award-people", name: "People receiving awards",
                    definition:
                        "Distinct people who received at least one award (summed over partners for the network)."
                ),
                MetricDefinition(
                    id: "award-total", name: "Amount awarded",
                    definition:
                        "The sum of the awards' amounts."
                ),
                MetricDefinition(
                    id: "awards-by-purpose", name: "Awards by purpose",
                    definition:
                        "Awards and amounts by `purpose`, in the schema's order (purposes with no award left out)."
                ),
                MetricDefinition(
                    id: "awards-by-route", name: "Awards by decision route",
                    definition:
                        "Awards and amounts by `decided_by`: the coordinator's, then the panel's."
                ),
                MetricDefinition(
                    id: "panel-share", name: "The panel's share",
                    definition:
                        "The panel's share of the amount awarded; no data when nothing was awarded."
                ),
            ]),
        MetricSection(
            title: "Ripple effects",
            scope: "From the accepted ripple tables of the quarter.",
            metrics: [
                MetricDefinition(
                    id: "ripple-notes", name: "Ripple-effect notes by theme",
                    definition:
                        "The number of notes in accepted ripple tables per `theme`, and how many of them may be quoted. Every known theme is listed, in the schema's order, then any other theme in alphabetical order."
                ),
                MetricDefinition(
                    id: "quotes", name: "Quotes",
                    definition:
                        "The text of notes whose `consent_to_quote` is true, attributed to the partner. Notes without consent are counted but never shown, and so are notes holding something that looks like an email address, a phone number or a postcode; a person reference in a note is withheld."
                ),
            ]),
        MetricSection(
            title: "Completeness and timeliness",
            scope: "DHIS2 style, from the ledger of every return received for the quarter.",
            metrics: [
                MetricDefinition(
                    id: "expected", name: "Expected",
                    definition:
                        "Partners expected to send a return: those active on at least one day of the quarter according to `active_from` and `active_to` in reference/partners.csv."
                ),
                MetricDefinition(
                    id: "received", name: "Received",
                    definition: "Partners that sent a return for the quarter, whatever became of it."),
                MetricDefinition(
                    id: "accepted", name: "Accepted",
                    definition:
                        "Partners with an accepted return (no errors) for the quarter; only accepted returns count in the figures."
                ),
                MetricDefinition(
                    id: "rejected", name: "Rejected",
                    definition:
                        "Partners that sent a return with errors and have no accepted one; their files stay where they were, and their findings are listed."
                ),
                MetricDefinition(
                    id: "missing", name: "Missing", definition: "Expected partners that sent nothing for the quarter."),
                MetricDefinition(
                    id: "on-time", name: "On time",
                    definition:
                        "Partners whose return arrived no later than `due_days` (impact.yaml) after the quarter's last day. The return that counts is the accepted one, or else the latest received."
                ),
                MetricDefinition(
                    id: "late", name: "Late", definition: "Partners whose return that counts arrived after the due date."),
                MetricDefinition(
                    id: "resubmissions", name: "Resubmissions",
                    definition:
                        "Accepted or rejected returns that replaced an earlier return for the same partner and quarter; the earlier one is kept as superseded."
                ),
                MetricDefinition(
                    id: "completeness", name: "Completeness",
                    definition:
                        "Expected partners that sent a return divided by expected partners, as a percentage (the DHIS2 reporting rate); no data when no partner is expected."
                ),
                MetricDefinition(
                    id: "timeliness", name: "Timeliness",
                    definition:
                        "Expected partners whose return arrived on time divided by expected partners, as a percentage (the DHIS2 reporting rate on time); no data when no partner is expected."
                ),
            ]),
        MetricSection(
            title: "Trends and comparisons",
            scope: "Over the quarters of the history.",
            metrics: [
                MetricDefinition(
                    id: "trend-quarters", name: "Quarters shown",
                    definition:
                        "The quarters from `first_quarter` (impact.yaml), or the earliest quarter in the history, up to the quarter of the report, without gaps."
                ),
                MetricDefinition(
                    id: "change", name: "Change on the previous quarter",
                    definition:
                        "A figure this quarter minus the same figure in the previous calendar quarter: a difference in people for counts, in percentage points for rates and shares; no data when either quarter has no data. Network figures include only the partners with an accepted return in each quarter."
                ),
                MetricDefinition(
                    id: "network-median", name: "Network median",
                    definition:
                        "For a partner figure, the median of that figure over the partners with an accepted return this quarter, ignoring partners with no data for it."
                ),
            ]),
        MetricSection(
            title: "Data quality",
            scope: "Warnings for follow-up; none of them changes a figure.",
            metrics: [
                MetricDefinition(
                    id: "findings-by-code", name: "Findings by code",
                    definition:
                        "Errors and warnings in all of the quarter's returns (accepted, rejected or superseded) and in files that could not be matched to a partner, counted by finding code; docs/findings.md describes the codes."
                ),
                MetricDefinition(
                    id: "jump", name: "Jump from a partner's own history",
                    definition:
                        "A partner's people supported or sessions offered whose robust z-score against the partner's previous quarters is above 3.5 in size: z = 0.6745 × (value − median) ÷ MAD, where the median and the median absolute deviation (MAD) are those of the previous quarters' values. It needs at least 3 previous quarters. When the MAD is 0 the mean absolute deviation from the median × 1.2533 takes its place; when every previous value is the same, any change is flagged. A warning for follow-up, never an error."
                ),
                MetricDefinition(
                    id: "baseline-change", name: "Changed baseline",
                    definition:
                        "A person whose `baseline_score` for a goal in this quarter's return differs from the baseline their partner gave for the same person and goal in the latest earlier quarter. Listed by partner and goal, without the person reference; a warning for follow-up, never an error."
                ),
            ]),
    ]

    /// How numbers are written in the reports.
    static let formats =
        "Percentages are rounded to whole numbers, halves away from zero; means, medians and z-scores to one decimal place where they are not whole; money to two decimal places with the currency symbol; dates as ISO 8601 (YYYY-MM-DD). A figure that would divide by zero shows \"no data\"."

    /// Every definition, in section order.
    static var all: [MetricDefinition] { sections.flatMap(\.metrics) }

    /// A definition by ID.
    static func definition(_ id: String) -> MetricDefinition? { all.first { $0.id == id } }

    /// The text of docs/metrics.md.
    static func markdown() -> String {
        var out = "# Metrics\n\n"
        out +=
            "Every figure in the impact report, the partner feedback and the workbooks, defined once. This file is generated from "
        out +=
            "`MetricDefinitions` in Sources/Impact/Figures/MetricDefinitions.swift (the reports' definitions come from the same list); "
        out += "a test fails when it is stale. Regenerate it with `UPDATE_GOLDEN=1 swift test --filter ReportTests`.\n\n"
        for section in sections {
            out += "## \(section.title)\n\n\(section.scope)\n\n"
            for metric in section.metrics {
                out += "- **\(metric.name)**: \(metric.definition)\n"
            }
            out += "\n"
        }
        out += "## Formats\n\n\(formats)\n"
        return out
    }
}
