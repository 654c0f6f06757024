// MARK: - Annotations

/// Which properties and items of one instance location have been evaluated (for `unevaluated*`).
struct Annotations {
    var allProperties = false
    var properties: Set<ExactKey> = []
    var allItems = false
    /// Items `0..<itemPrefix` were evaluated (by `prefixItems`).
    var itemPrefix = 0
    /// Individual items evaluated (by `contains`).
    var items: Set<Int> = []

    /// Adds what another passing subschema evaluated at the same location.
    mutating func merge(_ other: Annotations) {
        allProperties = allProperties || other.allProperties
        if !other.properties.isEmpty { properties.formUnion(other.properties) }
        allItems = allItems || other.allItems
        itemPrefix = max(itemPrefix, other.itemPrefix)
        if !other.items.isEmpty { items.formUnion(other.items) }
    }
}

// MARK: - Error records

/// One step of the instance path; keys remember their member position for document ordering.
enum PathToken {
    case key(String, order: Int)
    case index(Int)

    var order: Int {
        switch self {
        case .key(_, let order): return order
        case .index(let i): return i
        }
    }

    var token: String {
        switch self {
        case .key(let k, _): return k
        case .index(let i): return String(i)
        }
    }
}

/// Extra facts about an error that let `anyOf`/`oneOf` merge alternatives into one message.
enum ErrorDetail {
    case none
    case types(TypeSet)
    case values([JSONValue])
}

/// An error before its paths are turned into strings.
struct PendingError {
    let path: [PathToken]
    let sequence: Int
    let keyword: String
    let schemaPath: [String]
    let message: String
    let detail: ErrorDetail
}

/// A `$ref` being followed at an instance depth (the same pair twice on the stack is an endless loop).
struct RefKey: Hashable {
    let node: Int
    let depth: Int
}

// MARK: - Evaluator

/// Walks a compiled program over one instance.
///
/// In reporting mode every failure is recorded; otherwise evaluation stops at the first failure.
/// Subschemas whose failures must not leak (`not`, `if`, `anyOf`/`oneOf` alternatives, `contains`)
/// are always evaluated in non-reporting mode.
struct Evaluator {
    let nodes: [SchemaNode]
    let dynamicAnchors: [[String: Int]]
    let maxDepth: Int
    var reporting: Bool
    var errors: [PendingError] = []
    var path: [PathToken] = []
    var schemaPath: [String] = []
    /// Schema resources entered, outermost first (the dynamic scope for `$dynamicRef`).
    var scope: [Int] = []
    var depth = 0
    var activeRefs: Set<RefKey> = []
    var sequence = 0
    var currentKeyword = ""
    /// The lowest stack address evaluation may use on this thread (0 when unknown), found on first need.
    var stackLimit: UInt?

    /// Creates an evaluator for one validation run on the current thread.
    init(program: CompiledProgram, reporting: Bool) {
        nodes = program.nodes
        dynamicAnchors = program.dynamicAnchors
        maxDepth = program.maxEvaluationDepth
        self.reporting = reporting
    }

    /// Pre-made strings for small array indexes in schema paths.
    static let indexTokens: [String] = (0..<256).map { String($0) }

    /// The schema-path token for an array index.
    static func indexToken(_ i: Int) -> String {
        i < indexTokens.count ? indexTokens[i] : String(i)
    }

    // MARK: Nodes
    //
    // Everything on the recursive path (evaluate → evaluateKeyword → apply… → evaluate) is kept in
    // small functions that build no messages, so each level of nesting uses little stack, even in
    // debug builds. Messages are built in separate non-inlined functions.

    /// Evaluates node `index` against `instance`; when `collect` is set and the node passes,
    /// its annotations are merged into `annotations`.
    mutating func evaluate(_ index: Int, _ instance: JSONValue, _ annotations: inout Annotations, collect: Bool) -> Bool {
        guard case .keywords(let keywords) = nodes[index].body else { return evaluateBoolean(index, instance) }
        guard depth < maxDepth else { return reportDepthLimit() }
        if depth >= 16 && depth & 3 == 0 && !hasStackRoom() { return reportDepthLimit() }
        let resource = nodes[index].resource
        depth += 1
        let pushed = scope.last != resource
        if pushed { scope.append(resource) }
        let collectHere = collect || nodes[index].needsAnnotations
        var local = Annotations()
        var valid = true
        for keyword in keywords where !evaluateKeyword(keyword, instance, &local, collectHere) {
            valid = false
            if !reporting { break }
        }
        if pushed { scope.removeLast() }
        depth -= 1
        if valid && collect { annotations.merge(local) }
        return valid
    }

    /// Whether the thread's stack has room for more nesting (checked only when evaluation is already deep).
    @inline(never)
    mutating func hasStackRoom() -> Bool {
        if stackLimit == nil { stackLimit = StackGuard.currentLimit() ?? 0 }
        return StackGuard.currentAddress() >= (stackLimit ?? 0)
    }

    /// Evaluates a `true`/`false` schema.
    @inline(never)
    mutating func evaluateBoolean(_ index: Int, _ instance: JSONValue) -> Bool {
        guard case .always(let allowed) = nodes[index].body else { return true }
        if !allowed && reporting { reportFalseSchema(instance) }
        return allowed
    }

    /// Records that evaluation went deeper than the limit and fails.
    @inline(never)
    mutating func reportDepthLimit() -> Bool {
        if reporting {
            record(
                keyword: currentKeyword.isEmpty ? "$ref" : currentKeyword,
                message: "this value is nested too deeply to check (more than \(maxDepth) levels of schema)")
        }
        return false
    }

    /// Evaluates a subschema at a child location (no annotations flow back).
    mutating func evaluateChild(_ node: Int, _ value: JSONValue, _ token: PathToken, schemaToken: String?) -> Bool {
        path.append(token)
        if let schemaToken { schemaPath.append(schemaToken) }
        var ignored = Annotations()
        let ok = evaluate(node, value, &ignored, collect: false)
        if schemaToken != nil { schemaPath.removeLast() }
        path.removeLast()
        return ok
    }

    /// Evaluates a subschema without recording errors.
    mutating func quietly(_ node: Int, _ value: JSONValue, _ annotations: inout Annotations, collect: Bool) -> Bool {
        let saved = reporting
        reporting = false
        let ok = evaluate(node, value, &annotations, collect: collect)
        reporting = saved
        return ok
    }

    /// Evaluates one keyword; `ann` collects annotations for the enclosing node.
    mutating func evaluateKeyword(
        _ keyword: CompiledKeyword, _ instance: JSONValue,
        _ ann: inout Annotations, _ collect: Bool
    ) -> Bool {
        let savedKeyword = currentKeyword
        currentKeyword = keyword.name
        schemaPath.append(keyword.name)
        let ok = keyword.isApplicator ? apply(keyword.kind, instance, &ann, collect) : check(keyword.kind, instance)
        schemaPath.removeLast()
        currentKeyword = savedKeyword
        return ok
    }

    // MARK: Applicators

    /// Routes an applicator keyword to its function (payloads are unpacked there, keeping this frame small).
    mutating func apply(_ kind: KeywordKind, _ instance: JSONValue, _ ann: inout Annotations, _ collect: Bool) -> Bool {
        switch kind {
        case .ref, .dynamicRef: return applyReference(kind, instance, &ann, collect)
        case .allOf: return applyAllOf(kind, instance, &ann, collect)
        case .anyOf: return applyAnyOf(kind, instance, &ann, collect)
        case .oneOf: return applyOneOf(kind, instance, &ann, collect)
        case .not: return applyNot(kind, instance)
        case .conditional: return applyConditional(kind, instance, &ann, collect)
        case .dependentSchemas: return applyDependentSchemas(kind, instance, &ann, collect)
        case .prefixItems, .items, .unevaluatedItems: return applyItems(kind, instance, &ann, collect)
        case .contains: return applyContains(kind, instance, &ann, collect)
        case .properties: return applyProperties(kind, instance, &ann, collect)
        case .patternProperties, .additionalProperties, .unevaluatedProperties:
            return applyOtherProperties(kind, instance, &ann, collect)
        case .propertyNames: return applyPropertyNames(kind, instance)
        default: return true
        }
    }

    /// `$ref` and `$dynamicRef` (the latter resolved against the dynamic scope when it names a dynamic anchor).
    mutating func applyReference(_ kind: KeywordKind, _ instance: JSONValue, _ ann: inout Annotations, _ collect: Bool) -> Bool {
        var target: Int
        switch kind {
        case .ref(let node):
            target = node
        case .dynamicRef(let node, let anchor):
            target = node
            if let anchor {
                // The outermost resource in the dynamic scope that declares the anchor wins.
                for resource in scope {
                    if let found = dynamicAnchors[resource][anchor] {
                        target = found
                        break
                    }
                }
            }
        default:
            return true
        }
        let key = RefKey(node: target, depth: path.count)
        guard activeRefs.insert(key).inserted else { return reportReferenceLoop() }
        let ok = evaluate(target, instance, &ann, collect: collect)
        activeRefs.remove(key)
        return ok
    }

    /// Records that a reference loops back to itself without moving into the instance.
    @inline(never)
    mutating func reportReferenceLoop() -> Bool {
        fail("the schema refers back to itself here without end, so this value cannot be checked")
    }

    /// `allOf`: every subschema must pass.
    mutating func applyAllOf(_ kind: KeywordKind, _ instance: JSONValue, _ ann: inout Annotations, _ collect: Bool) -> Bool {
        guard case .allOf(let children) = kind else { return true }
        var valid = true
        for i in children.indices {
            schemaPath.append(Evaluator.indexToken(i))
            let ok = evaluate(children[i], instance, &ann, collect: collect)
            schemaPath.removeLast()
            if !ok {
                valid = false
                if !reporting { return false }
            }
        }
        return valid
    }

    /// `anyOf`: at least one alternative must pass (all are tried when annotations are needed).
    mutating func applyAnyOf(_ kind: KeywordKind, _ instance: JSONValue, _ ann: inout Annotations, _ collect: Bool) -> Bool {
        guard case .anyOf(let children) = kind else { return true }
        var matched = false
        for i in children.indices {
            schemaPath.append(Evaluator.indexToken(i))
            let ok = quietly(children[i], instance, &ann, collect: collect)
            schemaPath.removeLast()
            if ok {
                matched = true
                if !collect { break }
            }
        }
        if matched { return true }
        if reporting { summarizeNoMatch(children, instance) }
        return false
    }

    /// `oneOf`: exactly one alternative must pass.
    mutating func applyOneOf(_ kind: KeywordKind, _ instance: JSONValue, _ ann: inout Annotations, _ collect: Bool) -> Bool {
        guard case .oneOf(let children) = kind else { return true }
        var first = -1
        var second = -1
        var passingAnnotations = Annotations()
        for i in children.indices {
            var branch = Annotations()
            schemaPath.append(Evaluator.indexToken(i))
            let ok = quietly(children[i], instance, &branch, collect: collect)
            schemaPath.removeLast()
            if ok {
                if first < 0 {
                    first = i
                    passingAnnotations = branch
                } else {
                    second = i
                    break
                }
            }
        }
        if first >= 0 && second < 0 {
            if collect { ann.merge(passingAnnotations) }
            return true
        }
        if reporting { reportOneOf(children, instance, first: first, second: second) }
        return false
    }

    /// `not`: the subschema must fail.
    mutating func applyNot(_ kind: KeywordKind, _ instance: JSONValue) -> Bool {
        guard case .not(let child) = kind else { return true }
        var ignored = Annotations()
        if !quietly(child, instance, &ignored, collect: false) { return true }
        if reporting { reportNot(child, instance) }
        return false
    }

    /// `if`/`then`/`else`: `if` is checked quietly, then the chosen branch applies.
    mutating func applyConditional(_ kind: KeywordKind, _ instance: JSONValue, _ ann: inout Annotations, _ collect: Bool) -> Bool {
        guard case .conditional(let ifNode, let thenNode, let elseNode) = kind else { return true }
        var ifAnn = Annotations()
        let passed = quietly(ifNode, instance, &ifAnn, collect: collect)
        if passed && collect { ann.merge(ifAnn) }
        guard let branch = passed ? thenNode : elseNode else { return true }
        let name = passed ? "then" : "else"
        schemaPath[schemaPath.count - 1] = name
        currentKeyword = name
        return evaluate(branch, instance, &ann, collect: collect)
    }

    /// `dependentSchemas`: a subschema applies when its property is present.
    mutating func applyDependentSchemas(_ kind: KeywordKind, _ instance: JSONValue, _ ann: inout Annotations, _ collect: Bool) -> Bool {
        guard case .dependentSchemas(let list) = kind, case .object(let object) = instance else { return true }
        var valid = true
        for (key, child) in list where object.index(forKey: key) != nil {
            schemaPath.append(key)
            let ok = evaluate(child, instance, &ann, collect: collect)
            schemaPath.removeLast()
            if !ok {
                valid = false
                if !reporting { return false }
            }
        }
        return valid
    }

    /// `prefixItems`, `items` and `unevaluatedItems`.
    mutating func applyItems(_ kind: KeywordKind, _ instance: JSONValue, _ ann: inout Annotations, _ collect: Bool) -> Bool {
        guard case .array(let array) = instance else { return true }
        let child: Int
        var start = 0
        var skipEvaluated = false
        switch kind {
        case .prefixItems(let children):
            let n = min(array.count, children.count)
            var valid = true
            for i in 0..<n where !evaluateChild(children[i], array[i], .index(i), schemaToken: Evaluator.indexToken(i)) {
                valid = false
                if !reporting { return false }
            }
            if collect { ann.itemPrefix = max(ann.itemPrefix, n) }
            return valid
        case .items(let node, let from):
            if collect { ann.allItems = true }
            child = node
            start = from
            if array.count > start, case .always(false) = nodes[child].body { return reportTooManyItems(start, array.count) }
        case .unevaluatedItems(let node):
            if ann.allItems { return true }
            ann.allItems = true
            child = node
            start = ann.itemPrefix
            skipEvaluated = true
        default:
            return true
        }
        var valid = true
        var i = start
        while i < array.count {
            if !(skipEvaluated && ann.items.contains(i)) && !evaluateChild(child, array[i], .index(i), schemaToken: nil) {
                valid = false
                if !reporting { return false }
            }
            i += 1
        }
        return valid
    }

    /// Records that an array has items beyond those `prefixItems` allows when `items` is `false`.
    @inline(never)
    mutating func reportTooManyItems(_ allowed: Int, _ count: Int) -> Bool {
        fail("must have at most \(Messages.plural(allowed, "item")), found \(count)")
    }

    /// `contains` with `minContains`/`maxContains`: counts matching items quietly.
    mutating func applyContains(_ kind: KeywordKind, _ instance: JSONValue, _ ann: inout Annotations, _ collect: Bool) -> Bool {
        guard case .contains(let child, let minimum, let maximum, _) = kind,
            case .array(let array) = instance
        else { return true }
        var matches = 0
        for i in array.indices {
            path.append(.index(i))
            var ignored = Annotations()
            let ok = quietly(child, array[i], &ignored, collect: false)
            path.removeLast()
            if ok {
                matches += 1
                if collect { ann.items.insert(i) }
                if !collect && maximum == nil && matches >= minimum { break }
                if !collect, let maximum, matches > maximum { break }
            }
        }
        if matches >= minimum && matches <= (maximum ?? Int.max) { return true }
        if reporting { reportContains(kind, matches) }
        return false
    }

    /// `properties`: each named member that is present must match its subschema.
    mutating func applyProperties(_ kind: KeywordKind, _ instance: JSONValue, _ ann: inout Annotations, _ collect: Bool) -> Bool {
        guard case .properties(let list, let lookup) = kind, case .object(let object) = instance else { return true }
        var valid = true
        if object.count < list.count {
            // Few members: look each one up among the schema's properties.
            for i in object.members.indices {
                let key = ExactKey(string: object.members[i].key)
                guard let child = lookup[key] else { continue }
                if collect { ann.properties.insert(key) }
                if !evaluateChild(child, object.members[i].value, .key(key.string, order: i), schemaToken: key.string) {
                    valid = false
                    if !reporting { return false }
                }
            }
        } else {
            for (name, child) in list {
                guard let i = object.index(forKey: name) else { continue }
                if collect { ann.properties.insert(ExactKey(string: name)) }
                if !evaluateChild(child, object.members[i].value, .key(name, order: i), schemaToken: name) {
                    valid = false
                    if !reporting { return false }
                }
            }
        }
        return valid
    }

    /// `patternProperties`, `additionalProperties` and `unevaluatedProperties`.
    mutating func applyOtherProperties(_ kind: KeywordKind, _ instance: JSONValue, _ ann: inout Annotations, _ collect: Bool) -> Bool {
        guard case .object(let object) = instance else { return true }
        if case .unevaluatedProperties = kind {
            if ann.allProperties { return true }
        }
        var valid = true
        for i in object.members.indices {
            let key = object.members[i].key
            var matched = false
            switch kind {
            case .patternProperties(let list):
                for (regex, child) in list where regex.matches(key) {
                    matched = true
                    if !evaluateChild(child, object.members[i].value, .key(key, order: i), schemaToken: regex.pattern) {
                        valid = false
                        if !reporting { return false }
                    }
                }
            case .additionalProperties(let child, let known, let patterns):
                let exact = ExactKey(string: key)
                if known.contains(exact) || patterns.contains(where: { $0.matches(key) }) { continue }
                matched = true
                if !evaluateChild(child, object.members[i].value, .key(key, order: i), schemaToken: nil) {
                    valid = false
                    if !reporting { return false }
                }
            case .unevaluatedProperties(let child):
                if ann.properties.contains(ExactKey(string: key)) { continue }
                if !evaluateChild(child, object.members[i].value, .key(key, order: i), schemaToken: nil) {
                    valid = false
                    if !reporting { return false }
                }
            default:
                return true
            }
            if matched && collect { ann.properties.insert(ExactKey(string: key)) }
        }
        if case .unevaluatedProperties = kind { ann.allProperties = true }
        return valid
    }

    /// `propertyNames`: every member name must match the subschema.
    mutating func applyPropertyNames(_ kind: KeywordKind, _ instance: JSONValue) -> Bool {
        guard case .propertyNames(let child) = kind, case .object(let object) = instance else { return true }
        var valid = true
        for i in object.members.indices {
            var ignored = Annotations()
            if quietly(child, .string(object.members[i].key), &ignored, collect: false) { continue }
            valid = false
            if !reporting { return false }
            reportPropertyName(child, object.members[i].key, order: i)
        }
        return valid
    }

    // MARK: Assertions

    /// Routes a simple (non-applicator) keyword.
    @inline(never)
    mutating func check(_ kind: KeywordKind, _ instance: JSONValue) -> Bool {
        switch kind {
        case .type(let set):
            if set.matches(instance) { return true }
            return fail("expected \(Messages.typePhrase(set)), found \(Messages.describe(instance))", .types(set))
        case .enumeration(let values, let lookup):
            if lookup?.contains(instance) ?? values.contains(instance) { return true }
            return fail(Messages.expectedValues(values, found: instance), .values(values))
        case .constant(let value):
            if value == instance { return true }
            return fail(Messages.expectedValues([value], found: instance), .values([value]))
        case .multipleOf, .maximum, .exclusiveMaximum, .minimum, .exclusiveMinimum:
            return checkNumber(kind, instance)
        case .maxLength, .minLength, .pattern, .format:
            return checkString(kind, instance)
        case .maxItems, .minItems, .uniqueItems:
            return checkArraySize(kind, instance)
        case .maxProperties, .minProperties, .required, .dependentRequired:
            return checkObjectMembers(kind, instance)
        default:
            return true
        }
    }

    // MARK: Numbers and strings

    /// `multipleOf`, `maximum`, `exclusiveMaximum`, `minimum`, `exclusiveMinimum` (numbers only).
    mutating func checkNumber(_ kind: KeywordKind, _ instance: JSONValue) -> Bool {
        guard case .number(let n) = instance else { return true }
        switch kind {
        case .multipleOf(let divisor):
            return n.isMultiple(of: divisor) ? true : fail("must be a multiple of \(divisor), found \(n)")
        case .maximum(let limit):
            return n <= limit ? true : fail("must be at most \(limit), found \(n)")
        case .exclusiveMaximum(let limit):
            return n < limit ? true : fail("must be less than \(limit), found \(n)")
        case .minimum(let limit):
            return n >= limit ? true : fail("must be at least \(limit), found \(n)")
        case .exclusiveMinimum(let limit):
            return n > limit ? true : fail("must be more than \(limit), found \(n)")
        default:
            return true
        }
    }

    /// `maxLength`, `minLength` (in code points), `pattern` and asserted `format` (strings only).
    mutating func checkString(_ kind: KeywordKind, _ instance: JSONValue) -> Bool {
        guard case .string(let s) = instance else { return true }
        switch kind {
        case .maxLength(let limit):
            if s.utf8.count <= limit { return true }
            let length = s.unicodeScalars.count
            if length <= limit { return true }
            return fail("must be at most \(Messages.characters(limit)) long, found \(Messages.quote(s)) (\(Messages.characters(length)))")
        case .minLength(let limit):
            if s.utf8.count >= limit * 4 { return true }
            let length = s.unicodeScalars.count
            if length >= limit { return true }
            return fail("must be at least \(Messages.characters(limit)) long, found \(Messages.quote(s)) (\(Messages.characters(length)))")
        case .pattern(let regex):
            if regex.matches(s) { return true }
            return fail("must match the pattern \(regex.pattern), found \(Messages.quote(s))")
        case .format(let format):
            if format.isValid(s) { return true }
            return fail("expected \(format.expectation), found \(Messages.quote(s))")
        default:
            return true
        }
    }

    // MARK: Arrays

    /// `maxItems`, `minItems` and `uniqueItems` (arrays only).
    mutating func checkArraySize(_ kind: KeywordKind, _ instance: JSONValue) -> Bool {
        guard case .array(let array) = instance else { return true }
        switch kind {
        case .maxItems(let limit):
            if array.count <= limit { return true }
            return fail("must have at most \(Messages.plural(limit, "item")), found \(array.count)")
        case .minItems(let limit):
            if array.count >= limit { return true }
            return fail("must have at least \(Messages.plural(limit, "item")), found \(array.count)")
        case .uniqueItems:
            guard array.count > 1 else { return true }
            var duplicate: JSONValue?
            if array.count <= 8 {
                search: for i in array.indices {
                    for j in array.index(after: i)..<array.endIndex where array[i] == array[j] {
                        duplicate = array[i]
                        break search
                    }
                }
            } else {
                var seen = Set<JSONValue>(minimumCapacity: array.count)
                for element in array where !seen.insert(element).inserted {
                    duplicate = element
                    break
                }
            }
            guard let duplicate else { return true }
            return fail("must not contain duplicates, but \(Messages.describe(duplicate)) appears more than once")
        default:
            return true
        }
    }

    // MARK: Objects

    /// `maxProperties`, `minProperties`, `required` and `dependentRequired` (objects only).
    mutating func checkObjectMembers(_ kind: KeywordKind, _ instance: JSONValue) -> Bool {
        guard case .object(let object) = instance else { return true }
        switch kind {
        case .maxProperties(let limit):
            if object.count <= limit { return true }
            return fail("must have at most \(Messages.plural(limit, "field")), found \(object.count)")
        case .minProperties(let limit):
            if object.count >= limit { return true }
            return fail("must have at least \(Messages.plural(limit, "field")), found \(object.count)")
        case .required(let names):
            var valid = true
            for name in names where object.index(forKey: name) == nil {
                valid = false
                if !reporting { return false }
                record(keyword: currentKeyword, message: "\(Messages.quote(name)) is required but missing")
            }
            return valid
        case .dependentRequired(let list):
            var valid = true
            for (key, names) in list where object.index(forKey: key) != nil {
                for name in names where object.index(forKey: name) == nil {
                    valid = false
                    if !reporting { return false }
                    record(
                        keyword: currentKeyword,
                        message: "\(Messages.quote(name)) is required when \(Messages.quote(key)) is present")
                }
            }
            return valid
        default:
            return true
        }
    }

    // MARK: Reports

    /// Records why `oneOf` failed: no alternative matched, or two did.
    @inline(never)
    mutating func reportOneOf(_ children: [Int], _ instance: JSONValue, first: Int, second: Int) {
        if first < 0 {
            summarizeNoMatch(children, instance)
            return
        }
        record(
            keyword: currentKeyword,
            message:
                "matches more than one of the \(children.count) allowed options (options \(first + 1) and \(second + 1)), but must match exactly one"
        )
    }

    /// Records a failed `not`.
    @inline(never)
    mutating func reportNot(_ child: Int, _ instance: JSONValue) {
        record(keyword: currentKeyword, message: notMessage(child, instance))
    }

    /// Records a failed `contains`, `minContains` or `maxContains`.
    @inline(never)
    mutating func reportContains(_ kind: KeywordKind, _ matches: Int) {
        guard case .contains(let child, let minimum, let maximum, let minKeyword) = kind else { return }
        let keyword = matches < minimum ? minKeyword : "maxContains"
        schemaPath[schemaPath.count - 1] = keyword
        let message =
            matches < minimum
            ? containsMessage(child, minimum: minimum, found: matches)
            : "must include at most \(Messages.plural(maximum ?? 0, "matching item")), found \(matches)"
        record(keyword: keyword, message: message)
    }

    /// Records a member name rejected by `propertyNames`, quoting the subschema's own reason.
    @inline(never)
    mutating func reportPropertyName(_ child: Int, _ name: String, order: Int) {
        path.append(.key(name, order: order))
        let saved = errors
        errors = []
        var ignored = Annotations()
        _ = evaluate(child, .string(name), &ignored, collect: false)
        let reason = errors.first?.message ?? "it does not meet the rules for field names"
        errors = saved
        record(keyword: currentKeyword, message: "the field name \(Messages.quote(name)) is not allowed: \(reason)")
        path.removeLast()
    }

    /// Records one error explaining why no alternative matched.
    @inline(never)
    mutating func summarizeNoMatch(_ children: [Int], _ instance: JSONValue) {
        let saved = errors
        var branches: [[PendingError]] = []
        for (i, child) in children.enumerated() {
            errors = []
            schemaPath.append(Evaluator.indexToken(i))
            var ignored = Annotations()
            _ = evaluate(child, instance, &ignored, collect: false)
            schemaPath.removeLast()
            branches.append(errors)
        }
        errors = saved
        let here = path.count
        // If every alternative is a simple type/value check on this value, name what would be accepted.
        var phrases: [String] = []
        var types: TypeSet = []
        var values: [JSONValue] = []
        var simple = true
        for branch in branches {
            guard branch.count == 1, let only = branch.first, only.path.count == here else {
                simple = false
                break
            }
            switch only.detail {
            case .types(let set):
                types.formUnion(set)
                phrases.append(Messages.typePhrase(set))
            case .values(let list):
                values.append(contentsOf: list)
                phrases.append(contentsOf: list.map(Messages.render))
            case .none:
                simple = false
            }
            if !simple { break }
        }
        if simple && !phrases.isEmpty {
            var unique: [String] = []
            for phrase in phrases where !unique.contains(phrase) { unique.append(phrase) }
            let detail: ErrorDetail = values.isEmpty ? .types(types) : (types.isEmpty ? .values(values) : .none)
            record(
                keyword: currentKeyword,
                message: "expected \(Messages.alternatives(unique)), found \(Messages.describe(instance))",
                detail: detail)
            return
        }
        var best = 0
        for (i, branch) in branches.enumerated() where !branch.isEmpty {
            if branches[best].isEmpty || branch.count < branches[best].count { best = i }
        }
        var message = "does not match any of the \(children.count) allowed options"
        let reasons = branches[best].prefix(2).map { error -> String in
            error.path.count > here ? "at \(Evaluator.pointer(error.path)): \(error.message)" : error.message
        }
        if !reasons.isEmpty {
            message += "; the closest (option \(best + 1)) fails because " + reasons.joined(separator: "; ")
            if branches[best].count > 2 { message += " (and \(Messages.plural(branches[best].count - 2, "more problem")))" }
        }
        record(keyword: currentKeyword, message: message)
    }

    // MARK: Messages

    /// Explains a failed `not`, using the excluded schema's single keyword when possible.
    func notMessage(_ child: Int, _ instance: JSONValue) -> String {
        let found = Messages.describe(instance)
        switch nodes[child].body {
        case .always:
            return "no value is allowed here, found \(found)"
        case .keywords(let keywords):
            if keywords.count == 1, let only = keywords.first {
                switch only.kind {
                case .type(let set): return "must not be \(Messages.typePhrase(set)), found \(found)"
                case .constant(let value): return "must not be \(Messages.render(value))"
                case .enumeration(let values, _): return "must not be any of \(Messages.valueList(values)), found \(found)"
                case .required(let names):
                    let quoted = names.map(Messages.quote)
                    return names.count == 1 ? "must not include \(quoted[0])" : "must not include all of \(quoted.joined(separator: ", "))"
                default: break
                }
            }
            return "is not allowed here (it matches what the schema rules out), found \(found)"
        }
    }

    /// Explains a `contains`/`minContains` failure.
    func containsMessage(_ child: Int, minimum: Int, found: Int) -> String {
        if minimum == 1, case .keywords(let keywords) = nodes[child].body, keywords.count == 1, let only = keywords.first {
            switch only.kind {
            case .constant(let value): return "must include \(Messages.render(value))"
            case .type(let set): return "must include at least one item that is \(Messages.typePhrase(set))"
            default: break
            }
        }
        if minimum == 1 { return "must include at least one matching item, found none" }
        return "must include at least \(Messages.plural(minimum, "matching item")), found \(found)"
    }

    /// Records the error of a `false` schema, worded for where it sits.
    @inline(never)
    mutating func reportFalseSchema(_ instance: JSONValue) {
        let message: String
        switch (currentKeyword, path.last) {
        case ("properties", .key(let key, _)?), ("patternProperties", .key(let key, _)?),
            ("additionalProperties", .key(let key, _)?), ("unevaluatedProperties", .key(let key, _)?):
            message = "\(Messages.quote(key)) is not allowed here"
        case ("prefixItems", .index?), ("items", .index?), ("unevaluatedItems", .index?):
            message = "this item is not allowed here, found \(Messages.describe(instance))"
        default:
            message = "no value is allowed here, found \(Messages.describe(instance))"
        }
        record(keyword: currentKeyword.isEmpty ? "false" : currentKeyword, message: message)
    }

    // MARK: Recording

    /// Records a failure of the current keyword (when reporting) and returns false.
    mutating func fail(_ message: @autoclosure () -> String, _ detail: ErrorDetail = .none) -> Bool {
        if reporting { record(keyword: currentKeyword, message: message(), detail: detail) }
        return false
    }

    /// Appends an error at the current instance and schema paths.
    mutating func record(keyword: String, message: String, detail: ErrorDetail = .none) {
        errors.append(
            PendingError(
                path: path, sequence: sequence, keyword: keyword, schemaPath: schemaPath,
                message: message, detail: detail))
        sequence += 1
    }

    /// The JSON pointer string of an instance path.
    static func pointer(_ path: [PathToken]) -> String {
        var out = ""
        for token in path {
            out += "/"
            out += JSONPointer.escape(token.token)
        }
        return out
    }

    /// The recorded errors in document order (then schema order), as public values.
    func finishedErrors() -> [JSONSchemaError] {
        let sorted = errors.sorted { a, b in
            let n = min(a.path.count, b.path.count)
            for i in 0..<n where a.path[i].order != b.path[i].order {
                return a.path[i].order < b.path[i].order
            }
            if a.path.count != b.path.count { return a.path.count < b.path.count }
            return a.sequence < b.sequence
        }
        return sorted.map { error in
            JSONSchemaError(
                instancePointer: Evaluator.pointer(error.path),
                keyword: error.keyword,
                schemaPath: error.schemaPath.map { "/" + JSONPointer.escape($0) }.joined(),
                message: error.message)
        }
    }
}
