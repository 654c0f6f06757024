import Dates
import Foundation
import Impact
import TableSchema

/// Writes a synthetic workspace of any size: settings, reference tables and quarters of returns.
///
/// The people are simulated quarter by quarter, so the history is coherent: each partner keeps a caseload of
/// about `peoplePerPartner`; some people pause, some end (planned, unplanned or a transition), new people start in
/// their place; support lengths are roughly exponential; outcome scores start low and drift upwards with noise;
/// a few discretionary payments are above the coordinator's limit and carry a panel approval. References are
/// pseudonymous and no text describes a real person.
///
/// With `errorShare` above zero, that share of rows gets one planted problem each (a code from `errorCodes`), drawn
/// from a separate random stream: the same seed gives the same people with or without planted problems. Every
/// planted problem is listed in the manifest, `generated-manifest.json`, at the workspace's top level.
public struct WorkspaceGenerator: Sendable {
    /// The options.
    public let options: GeneratorOptions

    /// How many partners are simulated at once (the files are the same for any number).
    public var jobs: Int

    /// Creates a generator.
    public init(options: GeneratorOptions, jobs: Int = defaultJobs) {
        self.options = options
        self.jobs = jobs
    }

    /// The name of the manifest file written at the workspace's top level.
    public static let manifestName = "generated-manifest.json"

    // MARK: - Fixed reference content

    /// The outcome goals every generated workspace has (the alliance's six goals).
    static let goals: [(id: String, title: String, pathway: String, indicator: String, target: String)] = [
        ("OG01", "Feeling safer", "Safety and stability", "Self-rated feeling of safety day to day, 1 to 10", "0.6"),
        (
            "OG02", "A settled home and routine", "Safety and stability",
            "Self-rated stability of housing and daily routine, 1 to 10", "0.55"
        ),
        (
            "OG03", "Better emotional wellbeing", "Health and wellbeing",
            "Self-rated emotional wellbeing over the last month, 1 to 10", "0.65"
        ),
        (
            "OG04", "Coping with the effects of trauma", "Health and wellbeing",
            "Self-rated ability to manage flashbacks, anxiety and sleep, 1 to 10", "0.6"
        ),
        (
            "OG05", "Trusting relationships", "Connection and purpose",
            "Self-rated trust and closeness in relationships with family, friends or community, 1 to 10", "0.55"
        ),
        (
            "OG06", "Learning, work or volunteering", "Connection and purpose",
            "Self-rated progress towards learning, work or volunteering goals, 1 to 10", "0.7"
        ),
    ]

    /// Where transitions lead (the support schema's `transition_to`).
    static let destinations = [
        "another_partner", "statutory_service", "community_group", "specialist_service", "education_or_work", "other",
    ]

    /// What awards are for (the awards schema's `purpose`).
    static let awardPurposes = ["housing", "utilities", "travel", "education", "wellbeing", "other"]

    /// The Child Poverty Pathfinders' six priority family groups, with the share of people in each.
    static let priorityGroups: [(id: String, label: String, share: Double)] = [
        ("lone_parent", "Lone parents or carers", 0.3), ("ethnic_minority", "Ethnic minority families", 0.12),
        ("disability", "A disabled adult or child", 0.25), ("young_mother", "A young mother under 25", 0.06),
        ("child_under_1", "A child under 1", 0.08), ("three_plus_children", "Three or more children", 0.15),
    ]

    static let supportTypes: [(name: String, sessions: Int, weight: Double)] = [
        ("counselling", 8, 30), ("group_support", 10, 18), ("practical_support", 3, 14), ("peer_support", 6, 12),
        ("education", 8, 6), ("advocacy", 4, 12), ("wellbeing_activity", 6, 6), ("other", 3, 2),
    ]

    static let themes = [
        "family_relationships", "community_connections", "education_employment", "health_wellbeing", "housing",
        "confidence_skills", "other",
    ]

    private static let regions = [
        "Highland", "Glasgow", "Lothian", "Fife", "Tayside", "Grampian", "Ayrshire", "Borders", "Lanarkshire",
        "Dumfries and Galloway", "Argyll", "Forth Valley",
    ]
    private static let nameFirst = [
        "Bothy", "Larchwood", "Saltire", "Tidewrack", "Heather", "Rowan", "Harbour", "Lantern", "Cairn", "Birch",
        "Kelpie", "Thistle", "Meadow", "Brae", "Firth", "Glen", "Machair", "Skerry", "Loch", "Corrie",
    ]
    private static let nameSecond = [
        "Light", "Steps", "Bridge", "Path", "Haven", "Circle", "Roots", "Compass", "Harbour", "Hearth",
    ]
    private static let nameKind = [
        "Counselling", "Survivors' Network", "Advocacy", "Learning Project", "Support Service", "Trust", "Collective",
        "Wellbeing Hub",
    ]
    private static let funderNames = [
        "Northern Trust for Recovery", "Corriebank Foundation", "Silverburn Community Fund", "Westhaven Charitable Trust",
        "Kinloch Fund", "Hollyhill Foundation",
    ]
    private static let noteOpenings = [
        "One participant", "A person in our evening group", "A group member", "Someone we have supported since spring",
        "One of the people in the peer group", "A participant in the wellbeing sessions",
    ]
    private static let noteActions = [
        "has started volunteering at the community larder", "now keeps a mood diary and brings it to sessions",
        "is using the digital skills sessions to build a CV for the first time",
        "went back to the GP after years of avoiding appointments", "has reconnected with a sister, by letter at first",
        "joined a walking group and now leads it on Thursdays", "moved into a settled tenancy",
        "enrolled on an evening class at the college",
    ]
    private static let noteEffects = [
        "which gives the week a shape.", "and says the nights are easier now.", "Family members have commented on the difference.",
        "They asked us to share this in case it helps others.", "It has made the group feel more like a community.",
        "and told us they feel \"less alone\" than before.",
    ]
    private static let highlights = [
        "Attendance held up well over the holiday period, helped by text reminders.",
        "The new drop-in space feels safe and welcoming, people told us.",
        "Two volunteers completed trauma-informed training this quarter.",
    ]
    private static let challenges = [
        "Travel costs remain a barrier for people living in rural areas.",
        "Waiting times for one-to-one counselling rose to about eight weeks.",
        "Staff sickness meant two groups were paused for a fortnight.",
    ]
    private static let helps = [
        "An alliance-wide training day on the outcome scales.", "Help with travel costs for rural participants.",
        "Shared guidance on recording endings consistently.",
    ]

    // MARK: - Writing

    /// Writes the workspace into `folder` (which must be new or empty) and returns its manifest.
    public func write(to folder: String) throws(GeneratorError) -> GeneratedManifest {
        try options.check()
        let manager = FileManager.default
        if let contents = try? manager.contentsOfDirectory(atPath: folder), !contents.isEmpty {
            throw .notEmpty(folder)
        }
        let quarters = quarterList()
        for directory in ["reference"] + quarters.map({ "returns/\($0)" }) {
            let path = (folder as NSString).appendingPathComponent(directory)
            do {
                try manager.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw .unwritable(path, reason: error.localizedDescription)
            }
        }
        try save(settingsText(firstQuarter: quarters[0]), folder, "impact.yaml")
        try save(fundersCSV(), folder, "reference/funders.csv")
        try save(goalsCSV(), folder, "reference/outcomes.csv")
        try save(
            "group_id,label\n" + Self.priorityGroups.map { "\($0.id),\($0.label)\n" }.joined(), folder, "reference/priority-groups.csv")
        try save(partnersCSV(firstQuarter: quarters[0]), folder, "reference/partners.csv")

        // Partners are independent: generate and write them on every core.
        let outputs = Array(1...options.partners).parallelMap(jobs: jobs) { partner in
            let simulation = PartnerSimulation(generator: self, partner: partner, quarters: quarters)
            return Result { () throws(GeneratorError) in try simulation.run(folder: folder) }
        }
        var files: [GeneratedManifest.File] = []
        var planted: [PlantedProblem] = []
        for output in outputs {
            let output = try output.get()
            files += output.files
            planted += output.planted
        }
        let manifest = GeneratedManifest(options: options, quarters: quarters.map(\.description), files: files, planted: planted)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            try save(String(decoding: try encoder.encode(manifest), as: UTF8.self) + "\n", folder, Self.manifestName)
        } catch let error as GeneratorError {
            throw error
        } catch {
            throw .unwritable(Self.manifestName, reason: "\(error)")
        }
        return manifest
    }

    /// The quarters, oldest first, ending with the last quarter.
    func quarterList() -> [Quarter] {
        var quarter = Quarter(options.lastQuarter)!
        var list = [quarter]
        while list.count < options.quarters {
            quarter = quarter.previous
            list.insert(quarter, at: 0)
        }
        return list
    }

    func save(_ text: String, _ folder: String, _ relative: String) throws(GeneratorError) {
        try save(Array(text.utf8), folder, relative)
    }

    func save(_ bytes: [UInt8], _ folder: String, _ relative: String) throws(GeneratorError) {
        let path = (folder as NSString).appendingPathComponent(relative)
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .unwritable(path, reason: error.localizedDescription)
        }
    }

    // MARK: - Settings and reference tables

    func settingsText(firstQuarter: Quarter) -> String {
        """
        # Programme settings for a synthetic workspace written by `impact generate` (seed \(options.seed)).
        programme: "Synthetic Survivor Support Alliance"
        currency: GBP
        due_days: 30
        disclosure_threshold: 5
        coordinator_limit: 1000
        improvement_points: 2
        scale:
          min: 1
          max: 10
        contact: impact@example.org
        first_quarter: \(firstQuarter)
        support:
          max_days: 730

        """
    }

    func fundersCSV() -> String {
        var text = "funder_id,name\n"
        for index in 1...options.funders {
            let base = Self.funderNames[(index - 1) % Self.funderNames.count]
            let name = index <= Self.funderNames.count ? base : "\(base) \(index / Self.funderNames.count + 1)"
            text += "\(Self.funderID(index)),\(csvField(name))\n"
        }
        return text
    }

    func goalsCSV() -> String {
        var text = "outcome_id,title,pathway,indicator,target_improved_share\n"
        for goal in Self.goals {
            text += [goal.id, goal.title, goal.pathway, goal.indicator, goal.target].map(csvField).joined(separator: ",") + "\n"
        }
        return text
    }

    func partnersCSV(firstQuarter: Quarter) -> String {
        var text = "partner_id,name,region,funder_ids,active_from,active_to\n"
        let from = CivilDate(daysSinceEpoch: firstQuarter.firstDay).iso
        for index in 1...options.partners {
            var random = SeededRandom(seed: options.seed, stream: UInt64(index) &+ 0x5000_0000)
            let name = Self.partnerName(index)
            let region = Self.regions[random.int(0...Self.regions.count - 1)]
            var funders = [random.int(1...options.funders)]
            if options.funders > 1 && random.chance(0.3) {
                var second = random.int(1...options.funders - 1)
                if second >= funders[0] { second += 1 }
                funders.append(second)
                funders.sort()
            }
            text +=
                [Self.partnerID(index), name, region, funders.map(Self.funderID).joined(separator: ";"), from, ""]
                .map(csvField).joined(separator: ",") + "\n"
        }
        return text
    }

    /// A partner's name, different for every partner (partners.csv requires it): the first 1,600 partners
    /// get distinct combinations of the three word lists, later ones a number after the name.
    static func partnerName(_ index: Int) -> String {
        let combinations = nameFirst.count * nameSecond.count * nameKind.count
        // 7 has no factor in common with 1,600, so stepping by it visits every combination once.
        let combination = ((index - 1) % combinations * 7 + 3) % combinations
        let first = nameFirst[combination % nameFirst.count]
        let second = nameSecond[combination / nameFirst.count % nameSecond.count]
        let kind = nameKind[combination / (nameFirst.count * nameSecond.count)]
        let round = (index - 1) / combinations
        return "\(first) \(second) \(kind)" + (round > 0 ? " \(round + 1)" : "")
    }

    static func partnerID(_ index: Int) -> String {
        index < 1000 ? "P" + String(String(index + 1000).dropFirst()) : "P\(index)"
    }

    static func funderID(_ index: Int) -> String {
        index < 10 ? "F0\(index)" : "F\(index)"
    }
}

/// Quotes a CSV field when it needs it.
func csvField(_ text: String) -> String {
    if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return text
}

extension WorkspaceGenerator {
    static var noteParts: (openings: [String], actions: [String], effects: [String]) {
        (noteOpenings, noteActions, noteEffects)
    }
    /// The stories a generated return tells, in turn (one per return).
    static let stories: [(title: String, text: String, goals: String)] = [
        (
            "Back in the classroom",
            "When she first came to us she had not left the house for months.\n\nThis spring she enrolled on a college course.",
            "OG03;OG05"
        ),
        (
            "A door kept open", "He paused his support twice, and each time his worker kept in touch.\n\nHe returned in the new year.",
            "OG01;OG02"
        ),
        ("Finding a home again", "After years of moving between temporary places, he found a tenancy of his own.", "OG04"),
        ("Speaking up at the forum", "She joined the survivors' forum to listen, and by the third meeting she spoke.", "OG06"),
    ]

    static var narrative: (highlights: [String], challenges: [String], helps: [String]) {
        (highlights, challenges, helps)
    }
}
