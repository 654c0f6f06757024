import Foundation
import GLPK
import TableSchema

// MARK: - The attack, and the audit of every protected count

/// The attack of docs/disclosure.md, run on a set of publications: for every count a workbook hides,
/// which of the values from 1 to N − 1 an attacker who holds every publication cannot rule out.
///
/// The attacker's model is an integer program. Its unknowns are the true counts of each partner in each
/// quarter (people supported, new starts, endings of each type, spends above the coordinator limit, and
/// people working towards and improved on each goal), all whole numbers of at least 0. Every published
/// number is an equation over them, `<N` says 1 to N − 1, `[x]` says the partner has no return (all 0),
/// a share says numerator × q = denominator × p, and "Met" / "Not met" an inequality. The structure
/// adds: new starts, endings, spends above the limit and people working towards a goal are at most the
/// people supported; people improved at most those working towards the goal; endings by type add up
/// to endings; the people of each type of support add up to the people supported (``Claim/partition``);
/// people in a priority group are at most the people supported; a declared table's rows, and each of its
/// figures shown, are sums of its rows of each kind the workbook prints (``FunderFigures``).
///
/// **The protection rule**: for every hidden count (and the parts of every published share), the
/// values from 1 to N − 1 the attacker cannot rule out are all of them or none of them. A count whose
/// true value is small then keeps its whole range; a count whose small values are all ruled out is
/// known not to be small, which tells nothing about a small count.
///
/// Counts fixed by published numbers are substituted first, and the rest falls apart into independent
/// pieces (a quarter, a funder's hidden cells): each is solved on GLPK alone. Every integer solution
/// found is kept as a witness for every count of its piece, so most values need no solve of their own;
/// the true counts, when known, are the first witness.
struct DisclosureAudit {
    /// A partner's count in a quarter: an unknown of the attacker's program.
    struct Atom: Hashable, Sendable, Comparable {
        var quarter: Quarter
        var partner: String
        /// The measure, for this one partner.
        var measure: CountMeasure

        static func < (a: Atom, b: Atom) -> Bool {
            (a.quarter, a.partner, a.measure.code) < (b.quarter, b.partner, b.measure.code)
        }
    }

    /// A protected count the attacker can narrow.
    struct Exposure: Hashable, Sendable {
        /// The count.
        var key: FigureKey
        /// Where it is printed (hidden), or where the share it is part of is printed.
        var locations: [CellLocation]
        /// The values from 1 to N − 1 the attacker cannot rule out (fewer than all of them).
        var smallValuesLeft: [Int]
        /// The least and greatest values the attacker finds possible (nil: no greatest).
        var least: Int
        var greatest: Int?
        /// Why, when it is not a range: a mean printed over a hidden count.
        var note: String?

        /// "2 to 3", "exactly 1", "at least 3".
        var rangeText: String {
            if let greatest { return least == greatest ? "exactly \(least)" : "\(least) to \(greatest)" }
            return "at least \(least)"
        }
    }

    /// The audit's findings.
    struct Result: Sendable {
        /// Protected counts the attacker can narrow, in key order.
        var exposures: [Exposure]
        /// Protected counts checked (hidden counts and the parts of published shares).
        var checked: Int
        /// Places where the publications contradict each other (a hand-edited workbook).
        var contradictions: [String]
        /// Integer programs solved.
        var solves: Int
        /// Pieces of the attacker's program, and the unknowns of the largest.
        var pieces: Int
        var largestPiece: Int
    }

    /// The disclosure threshold N.
    let threshold: Int
    /// Answers of pieces already solved, shared by the rounds of a repair.
    var cache: Cache?

    /// Answers of pieces by their content.
    final class Cache {
        var answers: [String: Model.PieceAnswer] = [:]
        /// Integer solutions found, by the names of a piece's unknowns. Hiding a count only removes a
        /// constraint, so a solution of an earlier round is still one (each is checked again).
        var witnesses: [String: [[Int]]] = [:]
    }

    init(threshold: Int, cache: Cache? = nil) {
        self.threshold = threshold
        self.cache = cache
    }

    /// Runs the attack on every statement together (all publications the attacker holds).
    ///
    /// - Parameter truth: the true counts, when known (in a run): the first witness of each piece.
    /// - Throws: ``GLPKError`` when the solver fails or takes too long; the caller fails closed.
    func run(_ statements: [FigureStatement], truth: [Atom: Int] = [:]) throws(GLPKError) -> Result {
        var model = Model(threshold: threshold, cache: cache)
        model.add(statements)
        return try model.solve(truth: truth)
    }

    // MARK: - The program

    /// A linear constraint lower ≤ Σ coefficient × atom ≤ upper, over atom indices.
    struct Constraint {
        var terms: [(atom: Int, coefficient: Int)]
        var lower: Int?
        var upper: Int?

        /// Repeated atoms added together, zero coefficients dropped.
        init(terms: [(atom: Int, coefficient: Int)], lower: Int?, upper: Int?) {
            var sums: [Int: Int] = [:]
            var order: [Int] = []
            for (atom, coefficient) in terms {
                if sums[atom] == nil { order.append(atom) }
                sums[atom, default: 0] += coefficient
            }
            self.terms = order.compactMap { sums[$0] == 0 ? nil : ($0, sums[$0]!) }
            self.lower = lower
            self.upper = upper
        }
    }

    struct Model {
        let threshold: Int
        let cache: Cache?
        var atoms: [Atom] = []
        var index: [Atom: Int] = [:]
        var constraints: [Constraint] = []
        /// Atoms known to be 0 (no return).
        var zeroPartners: Set<PartnerQuarter> = []
        /// Protected forms: key → where printed.
        var sensitive: [FigureKey: [CellLocation]] = [:]
        /// Counts printed hidden or `<N`, for the means check.
        var hiddenKeys: Set<FigureKey> = []
        var means: [(key: FigureKey, at: CellLocation)] = []
        var exact: [FigureKey: (value: Int, at: CellLocation)] = [:]
        var contradictions: [String] = []

        struct PartnerQuarter: Hashable {
            var quarter: Quarter
            var partner: String
        }

        init(threshold: Int, cache: Cache? = nil) {
            self.threshold = threshold
            self.cache = cache
        }

        /// The index of an atom; a new atom brings its structural relations: new starts, endings, spends
        /// above the limit, people working towards a goal, people in a priority group and people of a type of
        /// support are at most the people supported, people improved at most those working towards the goal,
        /// endings by type add up to endings, and the parts of a partition the workbooks state add up to its whole.
        mutating func atom(_ a: Atom) -> Int {
            if let i = index[a] { return i }
            let i = atoms.count
            atoms.append(a)
            index[a] = i
            func other(_ measure: CountMeasure) -> Int { atom(Atom(quarter: a.quarter, partner: a.partner, measure: measure)) }
            func atMost(_ bound: Int) { constraints.append(Constraint(terms: [(i, 1), (bound, -1)], lower: nil, upper: 0)) }
            switch a.measure {
            case .peopleSupported, .tableKind, .awards, .awardPurpose, .awardRoute: break
            case .tableRows(let table): structure(a.quarter, a.partner, table)
            case .tableFigure(let table, let figure):
                if let described = kinds[TableQuarter(quarter: a.quarter, table: table)], described.figures.contains(figure) {
                    structure(a.quarter, a.partner, table)
                } else {
                    problems.insert(
                        "\(figure) of the \(table) table is shown for \(a.quarter) without the kinds of row it counts (TableKinds_\(table)), so it cannot be audited"
                    )
                }
            case .newStarts, .aboveLimit, .goalPeople, .priorityGroup, .supportType: atMost(other(.peopleSupported))
            case .goalImproved(let goal): atMost(other(.goalPeople(goal)))
            case .endings:
                atMost(other(.peopleSupported))
                let types = [CountMeasure.plannedEndings, .unplannedEndings, .transitionEndings].map(other)
                constraints.append(Constraint(terms: types.map { ($0, 1) } + [(i, -1)], lower: 0, upper: 0))
            case .plannedEndings, .unplannedEndings, .transitionEndings: _ = other(.endings)
            }
            let owner = PartnerQuarter(quarter: a.quarter, partner: a.partner)
            for (number, partition) in (partitions[owner] ?? []).enumerated() where partition.parts.contains(a.measure) {
                share(a.quarter, a.partner, number, partition)
            }
            return i
        }

        /// A partner's parts of a partition (its people by type of support) adding up to the whole.
        mutating func share(_ quarter: Quarter, _ partner: String, _ number: Int, _ partition: Partition) {
            guard structured.insert(["partition", quarter.description, partner, "\(number)"]).inserted else { return }
            func unknown(_ measure: CountMeasure) -> Int { atom(Atom(quarter: quarter, partner: partner, measure: measure)) }
            let whole = unknown(partition.whole)
            let parts = partition.parts.map(unknown)
            constraints.append(Constraint(terms: parts.map { ($0, 1) } + [(whole, -1)], lower: 0, upper: 0))
        }

        /// Counts that share out another, for every partner of a quarter.
        struct Partition: Equatable {
            var whole: CountMeasure
            var parts: [CountMeasure]
        }

        /// The partitions the workbooks state, by partner and quarter (each true of the partners it names).
        var partitions: [PartnerQuarter: [Partition]] = [:]

        /// A declared table's rows of a partner in a quarter as the sum of its rows of each kind, and each
        /// figure shown as the sum over the kinds it counts (``FunderFigures``), once the workbooks have said
        /// what the kinds are.
        mutating func structure(_ quarter: Quarter, _ partner: String, _ table: String) {
            guard let described = kinds[TableQuarter(quarter: quarter, table: table)],
                structured.insert([quarter.description, partner, table]).inserted
            else { return }
            func unknown(_ measure: CountMeasure) -> Int { atom(Atom(quarter: quarter, partner: partner, measure: measure)) }
            let rows = unknown(.tableRows(table))
            let parts = described.kinds.indices.map { unknown(.tableKind(table, $0)) }
            constraints.append(Constraint(terms: parts.map { ($0, 1) } + [(rows, -1)], lower: 0, upper: 0))
            for (column, figure) in described.figures.enumerated() {
                let counted = described.kinds.indices.filter { described.kinds[$0][column] }.map { (parts[$0], 1) }
                constraints.append(Constraint(terms: counted + [(unknown(.tableFigure(table, figure)), -1)], lower: 0, upper: 0))
            }
        }

        /// A declared table in a quarter.
        struct TableQuarter: Hashable {
            var quarter: Quarter
            var table: String
        }

        /// The kinds of row of each declared table, as the workbooks state them.
        var kinds: [TableQuarter: (figures: [String], kinds: [[Bool]])] = [:]
        /// Tables of a partner in a quarter already put as sums of kinds.
        var structured: Set<[String]> = []
        /// Figures that cannot be audited, once each.
        var problems: Set<String> = []

        /// The atoms of a published count.
        mutating func form(_ key: FigureKey) -> [Int] {
            if let known = formAtoms[key] { return known }
            let result = key.partners.map { atom(Atom(quarter: key.quarter, partner: $0, measure: key.measure)) }
            formAtoms[key] = result
            return result
        }

        var formAtoms: [FigureKey: [Int]] = [:]

        mutating func add(_ statements: [FigureStatement]) {
            // The kinds of row first: the rows and figures of a declared table are sums of them.
            for statement in statements {
                if case .partition(let quarter, let whole, let parts, let partners) = statement.claim {
                    let partition = Partition(whole: whole, parts: parts)
                    for partner in partners {
                        let owner = PartnerQuarter(quarter: quarter, partner: partner)
                        if !(partitions[owner] ?? []).contains(partition) { partitions[owner, default: []].append(partition) }
                    }
                    continue
                }
                guard case .kinds(let quarter, let table, let figures, let described) = statement.claim else { continue }
                let key = TableQuarter(quarter: quarter, table: table)
                if let earlier = kinds[key], earlier.figures != figures || earlier.kinds != described {
                    contradictions.append(
                        "\(statement.location.reference) gives other kinds of row for the \(table) table in \(quarter) than another workbook"
                    )
                    continue
                }
                kinds[key] = (figures, described)
            }
            for statement in statements {
                switch statement.claim {
                case .kinds, .partition:
                    continue
                case .count(let key, let shown):
                    let terms = form(key).map { ($0, 1) }
                    switch shown {
                    case .exact(let value):
                        if let earlier = exact[key], earlier.value != value {
                            contradictions.append(
                                "\(statement.location.reference) shows \(value) for \(key.label), but \(earlier.at.reference) shows \(earlier.value)"
                            )
                            continue
                        }
                        exact[key] = (value, statement.location)
                        constraints.append(Constraint(terms: terms, lower: value, upper: value))
                    case .hidden:
                        hiddenKeys.insert(key)
                        sensitive[key, default: []].append(statement.location)
                    case .below(let n):
                        hiddenKeys.insert(key)
                        sensitive[key, default: []].append(statement.location)
                        constraints.append(Constraint(terms: terms, lower: 1, upper: max(1, n - 1)))
                    }
                case .share(let n, let d, let value):
                    guard let (p, q) = DisclosureAudit.fraction(value) else { continue }
                    let numerator = form(n)
                    let denominator = form(d)
                    constraints.append(
                        Constraint(
                            terms: numerator.map { ($0, q) } + denominator.map { ($0, -p) }, lower: 0, upper: 0))
                    sensitive[n, default: []].append(statement.location)
                    sensitive[d, default: []].append(statement.location)
                case .target(let n, let d, let target, let met):
                    guard let (a, b) = DisclosureAudit.fraction(target) else { continue }
                    let numerator = form(n)
                    let denominator = form(d)
                    let terms = numerator.map { ($0, b) } + denominator.map { ($0, -a) }
                    constraints.append(
                        met ? Constraint(terms: terms, lower: 0, upper: nil) : Constraint(terms: terms, lower: nil, upper: -1))
                    sensitive[n, default: []].append(statement.location)
                    sensitive[d, default: []].append(statement.location)
                case .mean(let key):
                    means.append((key, statement.location))
                case .noReturn(let quarter, let partner):
                    zeroPartners.insert(PartnerQuarter(quarter: quarter, partner: partner))
                }
            }
        }

        // MARK: Presolve

        /// Fixes the atoms that published numbers pin down, by substitution until nothing changes.
        func presolve() -> (fixed: FixedCounts, contradictions: [String]) {
            var fixed = FixedCounts(atoms: atoms.count)
            var problems: [String] = []
            // A worklist: a constraint is looked at again only when one of its unknowns was fixed.
            var constraintsOf: [[Int]] = Array(repeating: [], count: atoms.count)
            for (c, constraint) in constraints.enumerated() {
                for term in constraint.terms { constraintsOf[term.atom].append(c) }
            }
            var queued = Array(repeating: true, count: constraints.count)
            var work = Array(constraints.indices.reversed())
            for (i, a) in atoms.enumerated() where zeroPartners.contains(PartnerQuarter(quarter: a.quarter, partner: a.partner)) {
                fixed[i] = 0
            }
            func fix(_ atom: Int, _ value: Int) {
                guard fixed[atom] == nil else { return }
                fixed[atom] = value
                for c in constraintsOf[atom] where !queued[c] {
                    queued[c] = true
                    work.append(c)
                }
            }
            while let c = work.popLast() {
                queued[c] = false
                let constraint = constraints[c]
                var rest = 0
                var free: [(atom: Int, coefficient: Int)] = []
                for term in constraint.terms {
                    if let value = fixed[term.atom] { rest += term.coefficient * value } else { free.append(term) }
                }
                guard !free.isEmpty else { continue }
                let isEquality = constraint.lower != nil && constraint.lower == constraint.upper
                if isEquality, let target = constraint.lower {
                    let residual = target - rest
                    if free.count == 1 {
                        let (a, c) = free[0]
                        if residual % c == 0 && residual / c >= 0 {
                            fix(a, residual / c)
                        } else {
                            problems.append(
                                "a published number cannot be met by any whole counts (\(atoms[a].partner), \(atoms[a].quarter))")
                        }
                    } else if residual == 0, free.allSatisfy({ $0.coefficient > 0 }) {
                        for term in free { fix(term.atom, 0) }
                    }
                } else if let upper = constraint.upper, constraint.lower == nil, upper - rest == 0,
                    free.allSatisfy({ $0.coefficient > 0 })
                {
                    // x − S ≤ 0 with S fixed at 0 (and similar): every remaining term is 0.
                    for term in free { fix(term.atom, 0) }
                }
            }
            var seen: Set<String> = []
            return (fixed, problems.filter { seen.insert($0).inserted })
        }

        // MARK: Solving

        func solve(truth: [Atom: Int]) throws(GLPKError) -> Result {
            let threshold = self.threshold
            let smallValues = threshold > 1 ? Array(1...(threshold - 1)) : []
            let (fixed, presolveProblems) = presolve()
            var contradictions = self.contradictions + problems.sorted() + presolveProblems

            // Pieces: free atoms joined by a constraint or by a protected form.
            var parent = Array(atoms.indices)
            func find(_ x: Int) -> Int {
                var x = x
                while parent[x] != x {
                    parent[x] = parent[parent[x]]
                    x = parent[x]
                }
                return x
            }
            func union(_ items: [Int]) {
                guard let first = items.first else { return }
                let root = find(first)
                for item in items.dropFirst() { parent[find(item)] = root }
            }
            for constraint in constraints {
                union(constraint.terms.map(\.atom).filter { fixed[$0] == nil })
            }
            var forms: [(key: FigureKey, atoms: [Int])] = []
            for key in sensitive.keys.sorted() {
                // Every sensitive key was formed while its statement was added.
                let atomsOfKey = formAtoms[key] ?? []
                forms.append((key, atomsOfKey))
                union(atomsOfKey.filter { fixed[$0] == nil })
            }

            var exposures: [Exposure] = []
            var byPiece: [Int: [(key: FigureKey, atoms: [Int])]] = [:]
            for form in forms {
                let free = form.atoms.filter { fixed[$0] == nil }
                let value = form.atoms.compactMap { fixed[$0] }.reduce(0, +)
                if free.isEmpty {
                    // Known exactly.
                    if smallValues.contains(value) && smallValues.count > 1 {
                        exposures.append(
                            Exposure(
                                key: form.key, locations: sensitive[form.key] ?? [], smallValuesLeft: [value], least: value,
                                greatest: value))
                    }
                    continue
                }
                byPiece[find(free[0]), default: []].append(form)
            }
            var pieceAtoms: [Int: [Int]] = [:]
            for i in atoms.indices where fixed[i] == nil { pieceAtoms[find(i), default: []].append(i) }
            var rowsOfPiece: [Int: [Int]] = [:]
            for (c, constraint) in constraints.enumerated() {
                if let free = constraint.terms.first(where: { fixed[$0.atom] == nil }) {
                    rowsOfPiece[find(free.atom), default: []].append(c)
                }
            }

            var solves = 0
            var largest = 0
            for root in byPiece.keys.sorted() {
                let pieceForms = byPiece[root]!
                let members = pieceAtoms[root] ?? []
                let rows = rowsOfPiece[root] ?? []
                largest = max(largest, members.count)
                // A piece the audit has seen before (an earlier round of repair) has the same answer.
                let signature = self.signature(members: members, rows: rows, forms: pieceForms, fixed: fixed)
                let answer: PieceAnswer
                if let known = cache?.answers[signature] {
                    answer = known
                } else {
                    answer = try solvePiece(
                        members: members, rows: rows, forms: pieceForms, fixed: fixed, truth: truth, smallValues: smallValues)
                    cache?.answers[signature] = answer
                    solves += answer.solves
                }
                if let contradiction = answer.contradiction { contradictions.append(contradiction) }
                for found in answer.exposures {
                    exposures.append(
                        Exposure(
                            key: found.key, locations: sensitive[found.key] ?? [], smallValuesLeft: found.left, least: found.least,
                            greatest: found.greatest))
                }
            }
            // A mean printed over a hidden count tells which numbers of people it can be (its divisors).
            for mean in means where hiddenKeys.contains(mean.key) {
                exposures.append(
                    Exposure(
                        key: mean.key, locations: [mean.at], smallValuesLeft: [], least: 0, greatest: nil,
                        note: "a mean is printed over this hidden count, which tells the attacker numbers it can be"))
            }
            exposures.sort { ($0.key, $0.locations.first?.reference ?? "") < ($1.key, $1.locations.first?.reference ?? "") }
            return Result(
                exposures: exposures, checked: forms.count, contradictions: contradictions, solves: solves, pieces: byPiece.count,
                largestPiece: largest)
        }

        /// One piece's verdicts: the forms the attacker narrows.
        struct PieceAnswer {
            var exposures: [(key: FigureKey, left: [Int], least: Int, greatest: Int?)]
            var contradiction: String?
            var solves: Int
        }

        /// A piece's content in words independent of atom numbering: its unknowns, constraints (with the
        /// published numbers substituted) and protected forms.
        func signature(members: [Int], rows: [Int], forms: [(key: FigureKey, atoms: [Int])], fixed: FixedCounts) -> String {
            func name(_ atom: Int) -> String {
                let a = atoms[atom]
                return "\(a.quarter)|\(a.partner)|\(a.measure.code)"
            }
            var parts: [String] = []
            for c in rows {
                let constraint = constraints[c]
                var rest = 0
                var terms: [String] = []
                for term in constraint.terms {
                    if let value = fixed[term.atom] {
                        rest += term.coefficient * value
                    } else {
                        terms.append("\(term.coefficient)*\(name(term.atom))")
                    }
                }
                let lower = constraint.lower.map { "\($0 - rest)" } ?? "-"
                let upper = constraint.upper.map { "\($0 - rest)" } ?? "+"
                parts.append("\(terms.sorted().joined(separator: "+"))[\(lower),\(upper)]")
            }
            parts.sort()
            var formParts: [String] = []
            for form in forms {
                let rest = form.atoms.compactMap { fixed[$0] }.reduce(0, +)
                let free = form.atoms.filter { fixed[$0] == nil }.map(name).sorted()
                formParts.append(
                    "\(form.key.quarter)|\(form.key.measure.code)|\(form.key.partners.joined(separator: ";"))=\(rest)+\(free.joined(separator: "+"))"
                )
            }
            return "\(threshold)\n" + parts.joined(separator: "\n") + "\n#\n" + formParts.sorted().joined(separator: "\n")
        }

        /// Solves one piece on GLPK: for every protected form, which small values are possible.
        func solvePiece(
            members: [Int], rows: [Int], forms pieceForms: [(key: FigureKey, atoms: [Int])], fixed: FixedCounts,
            truth: [Atom: Int], smallValues: [Int]
        ) throws(GLPKError) -> PieceAnswer {
            var answer = PieceAnswer(exposures: [], contradiction: nil, solves: 0)
            let program = IntegerProgram()
            var column: [Int: Int] = [:]
            for atom in members { column[atom] = try program.addVariable(lower: 0, upper: nil, integer: true) }
            for c in rows {
                let constraint = constraints[c]
                var rest = 0
                var terms: [(variable: Int, coefficient: Double)] = []
                for term in constraint.terms {
                    if let value = fixed[term.atom] {
                        rest += term.coefficient * value
                    } else {
                        terms.append((column[term.atom]!, Double(term.coefficient)))
                    }
                }
                if let lower = constraint.lower, constraint.upper == lower,
                    let lattice = DisclosureAudit.ratioLattice(terms.map { ($0.variable, Int($0.coefficient)) }, equals: lower - rest)
                {
                    // A share, q·N − p·D = r, as N = n₀ + p·k and D = d₀ + q·k: the same whole solutions, but branch
                    // and bound can branch on k, where on the counts alone a share its totals cannot meet (55 = 7·D)
                    // is an endless search.
                    let k = try program.addVariable(lower: nil, upper: nil, integer: true)
                    try program.addConstraint(
                        lattice.positive.map { ($0, 1.0) } + [(k, -Double(lattice.p))], lower: Double(lattice.n0), upper: Double(lattice.n0)
                    )
                    try program.addConstraint(
                        lattice.negative.map { ($0, 1.0) } + [(k, -Double(lattice.q))], lower: Double(lattice.d0), upper: Double(lattice.d0)
                    )
                    continue
                }
                try program.addConstraint(
                    terms, lower: constraint.lower.map { Double($0 - rest) }, upper: constraint.upper.map { Double($0 - rest) })
            }
            // Witnesses: integer solutions, as values of the piece's forms.
            var covered: [FigureKey: Set<Int>] = [:]
            func record(_ solution: (Int) -> Int) {
                for form in pieceForms {
                    let value = form.atoms.reduce(0) { $0 + (fixed[$1] ?? solution($1)) }
                    covered[form.key, default: []].insert(value)
                }
            }
            if let witness = trueWitness(members: members, rows: rows, fixed: fixed, truth: truth) {
                record { witness[$0]! }
            }
            // Solutions of earlier rounds over the same unknowns, where they still meet every constraint.
            let named = members.sorted { atoms[$0] < atoms[$1] }
            let membersKey = named.map { "\(atoms[$0].quarter)|\(atoms[$0].partner)|\(atoms[$0].measure.code)" }
                .joined(separator: "\n")
            var found: [[Int]] = []
            for values in cache?.witnesses[membersKey] ?? [] where values.count == named.count {
                var solution: [Int: Int] = [:]
                for (atom, value) in zip(named, values) { solution[atom] = value }
                if satisfies(solution, rows: rows, fixed: fixed) { record { solution[$0]! } }
            }
            func keep(_ solution: (Int) -> Int) {
                record(solution)
                if found.count < 64 { found.append(named.map(solution)) }
            }
            defer {
                if let cache, !found.isEmpty {
                    cache.witnesses[membersKey] = Array(((cache.witnesses[membersKey] ?? []) + found).suffix(64))
                }
            }
            if covered.isEmpty {
                answer.solves += 1
                guard let solution = try program.feasibleSolution() else {
                    answer.contradiction =
                        "the figures published for \(pieceForms[0].key.label) contradict each other: no whole counts meet them all"
                    return answer
                }
                keep { Int(solution[column[$0]!].rounded()) }
            }
            for form in pieceForms {
                let rest = form.atoms.compactMap { fixed[$0] }.reduce(0, +)
                let terms = form.atoms.filter { fixed[$0] == nil }.map { (variable: column[$0]!, coefficient: 1.0) }
                var ruledOut: [Int] = []
                for value in smallValues
                where !(covered[form.key]?.contains(value) ?? false) && !ruledOut.contains(value) {
                    answer.solves += 1
                    if let solution = try program.feasibleSolution(where: terms, equals: Double(value - rest)) {
                        keep { Int(solution[column[$0]!].rounded()) }
                    } else {
                        ruledOut.append(value)
                    }
                }
                let left = smallValues.filter { !ruledOut.contains($0) }
                guard !left.isEmpty && left.count < smallValues.count else { continue }
                answer.solves += 2
                var least = rest
                var greatest: Int?
                if case .optimal(let value, _) = try program.minimize(terms) { least = rest + Int(value.rounded()) }
                if case .optimal(let value, _) = try program.maximize(terms) { greatest = rest + Int(value.rounded()) }
                answer.exposures.append((form.key, left, least, greatest))
            }
            return answer
        }

        /// Whether values of a piece's unknowns meet every constraint of the piece.
        func satisfies(_ values: [Int: Int], rows: [Int], fixed: FixedCounts) -> Bool {
            for c in rows {
                let constraint = constraints[c]
                var sum = 0
                for term in constraint.terms {
                    guard let value = fixed[term.atom] ?? values[term.atom] else { return false }
                    sum += term.coefficient * value
                }
                if let lower = constraint.lower, sum < lower { return false }
                if let upper = constraint.upper, sum > upper { return false }
            }
            return values.values.allSatisfy { $0 >= 0 }
        }

        /// The true counts of a piece, when they are all known and meet every constraint.
        func trueWitness(members: [Int], rows: [Int], fixed: FixedCounts, truth: [Atom: Int]) -> [Int: Int]? {
            guard !truth.isEmpty else { return nil }
            var values: [Int: Int] = [:]
            for atom in members {
                guard let value = truth[atoms[atom]] else { return nil }
                values[atom] = value
            }
            for c in rows {
                let constraint = constraints[c]
                let sum = constraint.terms.reduce(0) { $0 + $1.coefficient * (fixed[$1.atom] ?? values[$1.atom]!) }
                if let lower = constraint.lower, sum < lower { return nil }
                if let upper = constraint.upper, sum > upper { return nil }
            }
            return values
        }
    }

    // MARK: - Shares as fractions

    /// An equality q·ΣN − p·ΣD = r (every N term with coefficient q > 0, every D term −p < 0, p and q coprime)
    /// rewritten over the lattice of its whole solutions: ΣN = n₀ + p·k and ΣD = d₀ + q·k for a whole k, where
    /// (n₀, d₀) is one solution. Nil for any other equality (or when either side is a single coefficient of 1,
    /// where there is nothing to gain).
    static func ratioLattice(
        _ terms: [(variable: Int, coefficient: Int)], equals r: Int
    ) -> (positive: [Int], negative: [Int], p: Int, q: Int, n0: Int, d0: Int)? {
        let positive = terms.filter { $0.coefficient > 0 }
        let negative = terms.filter { $0.coefficient < 0 }
        guard let q = positive.first?.coefficient, let p = negative.first.map({ -$0.coefficient }),
            positive.allSatisfy({ $0.coefficient == q }), negative.allSatisfy({ $0.coefficient == -p }), p > 1 || q > 1
        else { return nil }
        // Extended Euclid: q·s + p·t = g.
        var (oldR, r0) = (q, p)
        var (oldS, s0) = (1, 0)
        var (oldT, t0) = (0, 1)
        while r0 != 0 {
            let quotient = oldR / r0
            (oldR, r0) = (r0, oldR - quotient * r0)
            (oldS, s0) = (s0, oldS - quotient * s0)
            (oldT, t0) = (t0, oldT - quotient * t0)
        }
        guard oldR == 1 else { return nil }
        // q·(r·s) − p·(−r·t) = r.
        let (n0, d0) =
            r.multipliedReportingOverflow(by: oldS).overflow || r.multipliedReportingOverflow(by: oldT).overflow
            ? (nil, nil) : (r * oldS, -r * oldT)
        guard let n0, let d0 else { return nil }
        return (positive.map(\.variable), negative.map(\.variable), p, q, n0, d0)
    }

    /// The fraction p/q (q ≤ 1,000,000) equal to a printed share, by continued fractions; nil when there is
    /// none (then the share tells nothing the program can use).
    ///
    /// The printed number is a double, which is an exact fraction n / 2^e: its continued fraction is worked
    /// out in whole numbers, with no rounding. A share N/D with D ≤ 1,000,000 is within 1e-15 of the double,
    /// far closer than 1/(2D²), so it is one of the double's convergents (Legendre), and the only fraction
    /// with a denominator up to 1,000,000 within 1e-13 (two such fractions are at least 1e-12 apart). The
    /// first convergent within 1e-13 is therefore the share itself. (A tolerance of 1e-9, as before, let a
    /// simpler fraction near a share over more than about 30,000 people stand in for it, and the audit then
    /// found the published figures contradictory: every funder workbook of a 1,000-partner run was withheld.)
    static func fraction(_ value: Double) -> (Int, Int)? {
        guard value.isFinite, value >= 0, value < 1e6 else { return nil }
        // value = n / d exactly, d a power of two (up to 2^120: every share of at least 1e-18).
        var scaled = value
        var d: Int128 = 1
        while scaled != scaled.rounded(.towardZero) {
            guard d < Int128(1) << 120 else { return nil }
            scaled *= 2
            d *= 2
        }
        var n = Int128(scaled)
        let tolerance = 1e-13 * max(1, value)
        var (h0, h1): (Int128, Int128) = (0, 1)
        var (k0, k1): (Int128, Int128) = (1, 0)
        while d != 0 {
            let a = n / d
            (n, d) = (d, n - a * d)
            // The denominators only grow: past a million, no share is left to find.
            guard a <= 1_000_000, a * k1 + k0 <= 1_000_000 else { return nil }
            (h0, h1) = (h1, a * h1 + h0)
            (k0, k1) = (k1, a * k1 + k0)
            if abs(Double(h1) / Double(k1) - value) <= tolerance { return (Int(h1), Int(k1)) }
        }
        return nil
    }
}

// MARK: - Fixed counts

/// The counts that published numbers pin down, by atom index: an array, as the audit looks them up for
/// every term of every constraint.
struct FixedCounts {
    private var values: [Int?]

    /// No count fixed yet among `atoms` atoms.
    init(atoms: Int) {
        values = Array(repeating: nil, count: atoms)
    }

    /// The fixed count of an atom, or nil while it is free.
    subscript(atom: Int) -> Int? {
        get { values[atom] }
        set { values[atom] = newValue }
    }
}
