import Foundation

// MARK: - Compiled program

/// The immutable result of compiling a schema: a graph of nodes addressed by index.
final class CompiledProgram: Sendable {
    /// Every compiled (sub)schema; `$ref`s are indexes into this array, so cycles are fine.
    let nodes: [SchemaNode]
    /// Per schema resource: `$dynamicAnchor` name → node index.
    let dynamicAnchors: [[String: Int]]
    /// The node of the root schema.
    let root: Int
    /// Limit on nested evaluation.
    let maxEvaluationDepth: Int

    /// Wraps the compiler's output.
    init(nodes: [SchemaNode], dynamicAnchors: [[String: Int]], root: Int, maxEvaluationDepth: Int) {
        self.nodes = nodes
        self.dynamicAnchors = dynamicAnchors
        self.root = root
        self.maxEvaluationDepth = maxEvaluationDepth
    }
}

/// One compiled schema object or boolean schema.
struct SchemaNode: Sendable {
    /// What the schema checks.
    enum Body: Sendable {
        /// `true` or `false` (also `{}` compiles to `true`).
        case always(Bool)
        /// The keywords to apply, in schema order with `unevaluated*` last.
        case keywords([CompiledKeyword])
    }

    let body: Body
    /// The schema resource (nearest `$id`) this node belongs to, for `$dynamicRef` scoping.
    let resource: Int
    /// Whether the node has `unevaluatedProperties`/`unevaluatedItems` and so needs annotations.
    let needsAnnotations: Bool
}

/// A keyword ready to evaluate, with its name for error paths.
struct CompiledKeyword: Sendable {
    let name: String
    let kind: KeywordKind
    /// Whether the keyword applies subschemas (and so recurses); the others are simple assertions.
    let isApplicator: Bool

    /// Wraps a compiled keyword, classifying it once so evaluation does not have to.
    init(name: String, kind: KeywordKind) {
        self.name = name
        self.kind = kind
        switch kind {
        case .ref, .dynamicRef, .allOf, .anyOf, .oneOf, .not, .conditional, .dependentSchemas, .prefixItems,
            .items, .contains, .properties, .patternProperties, .additionalProperties, .propertyNames,
            .unevaluatedItems, .unevaluatedProperties:
            isApplicator = true
        default:
            isApplicator = false
        }
    }
}

/// JSON types as a bit set.
struct TypeSet: OptionSet, Sendable, Hashable {
    let rawValue: UInt8
    static let null = TypeSet(rawValue: 1)
    static let boolean = TypeSet(rawValue: 2)
    static let object = TypeSet(rawValue: 4)
    static let array = TypeSet(rawValue: 8)
    static let number = TypeSet(rawValue: 16)
    static let string = TypeSet(rawValue: 32)
    static let integer = TypeSet(rawValue: 64)

    /// The set for one JSON Schema type name.
    init?(name: String) {
        switch name {
        case "null": self = .null
        case "boolean": self = .boolean
        case "object": self = .object
        case "array": self = .array
        case "number": self = .number
        case "string": self = .string
        case "integer": self = .integer
        default: return nil
        }
    }

    /// Creates a set from its bits.
    init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Whether `value` has one of the types (`integer` matches numbers with no fractional part).
    func matches(_ value: JSONValue) -> Bool {
        switch value {
        case .null: return contains(.null)
        case .bool: return contains(.boolean)
        case .object: return contains(.object)
        case .array: return contains(.array)
        case .string: return contains(.string)
        case .number(let n): return contains(.number) || (contains(.integer) && n.isInteger)
        }
    }
}

/// An ECMA-262-style regular expression (translated for ICU) that is safe to share.
final class RegexBox: @unchecked Sendable {
    // NSRegularExpression is immutable after creation and documented as thread-safe.
    let pattern: String
    private let regex: NSRegularExpression

    /// Compiles a pattern, or returns nil when it is not a valid regular expression.
    init?(pattern: String) {
        guard let regex = try? NSRegularExpression(pattern: RegexBox.translate(pattern), options: []) else { return nil }
        self.pattern = pattern
        self.regex = regex
    }

    /// Whether the pattern matches anywhere in `text` (patterns are not anchored).
    func matches(_ text: String) -> Bool {
        let range = NSRange(location: 0, length: text.utf16.count)
        return regex.firstMatch(in: text, options: [], range: range) != nil
    }

    /// Rewrites ECMA-262 features that ICU reads differently: `\d`/`\w` are ASCII-only,
    /// `$` is the end of input, and `[` inside a class is a literal.
    static func translate(_ pattern: String) -> String {
        var out = ""
        var inClass = false
        var iterator = pattern.unicodeScalars.makeIterator()
        while let c = iterator.next() {
            switch c {
            case "\\":
                guard let next = iterator.next() else {
                    out += "\\"
                    continue
                }
                switch next {
                case "d": out += inClass ? "0-9" : "[0-9]"
                case "D": out += "[^0-9]"
                case "w": out += inClass ? "a-zA-Z0-9_" : "[a-zA-Z0-9_]"
                case "W": out += "[^a-zA-Z0-9_]"
                default:
                    out += "\\"
                    out.unicodeScalars.append(next)
                }
            case "[":
                out += inClass ? "\\[" : "["
                inClass = true
            case "]":
                out += "]"
                inClass = false
            case "$" where !inClass:
                out += "\\z"
            default:
                out.unicodeScalars.append(c)
            }
        }
        return out
    }
}

/// What a keyword does, with everything precomputed.
enum KeywordKind: Sendable {
    case type(TypeSet)
    case enumeration([JSONValue], Set<JSONValue>?)
    case constant(JSONValue)
    case multipleOf(JSONNumber)
    case maximum(JSONNumber)
    case exclusiveMaximum(JSONNumber)
    case minimum(JSONNumber)
    case exclusiveMinimum(JSONNumber)
    case maxLength(Int)
    case minLength(Int)
    case pattern(RegexBox)
    case maxItems(Int)
    case minItems(Int)
    case uniqueItems
    case maxProperties(Int)
    case minProperties(Int)
    case required([String])
    case dependentRequired([(String, [String])])
    case format(FormatKind)
    case ref(Int)
    case dynamicRef(Int, anchor: String?)
    case allOf([Int])
    case anyOf([Int])
    case oneOf([Int])
    case not(Int)
    case conditional(if: Int, then: Int?, else: Int?)
    case dependentSchemas([(String, Int)])
    case prefixItems([Int])
    case items(Int, from: Int)
    case contains(Int, min: Int, max: Int?, minKeyword: String)
    case properties([(String, Int)], [ExactKey: Int])
    case patternProperties([(RegexBox, Int)])
    case additionalProperties(Int, known: Set<ExactKey>, patterns: [RegexBox])
    case propertyNames(Int)
    case unevaluatedItems(Int)
    case unevaluatedProperties(Int)
}

// MARK: - Vocabularies

/// The draft 2020-12 vocabularies that change which keywords apply.
struct Vocabularies: OptionSet, Sendable {
    let rawValue: UInt8
    static let applicator = Vocabularies(rawValue: 1)
    static let unevaluated = Vocabularies(rawValue: 2)
    static let validation = Vocabularies(rawValue: 4)
    static let formatAssertion = Vocabularies(rawValue: 8)
    /// What the standard meta-schema enables.
    static let standard: Vocabularies = [.applicator, .unevaluated, .validation]

    static let prefix = "https://json-schema.org/draft/2020-12/vocab/"
}

// MARK: - SchemaCompiler

/// A place in one of the loaded documents.
struct Location: Hashable {
    let doc: Int
    let pointer: JSONPointer

    /// A location further inside the same document.
    func appending(_ tokens: String...) -> Location {
        Location(doc: doc, pointer: JSONPointer(tokens: pointer.tokens + tokens))
    }
}

/// Turns schema documents into a ``CompiledProgram``: registers `$id`s and anchors, resolves
/// references (loading meta-schemas and remote documents on demand) and compiles every reachable
/// subschema without recursion.
final class SchemaCompiler {
    /// Base URI, resource and vocabularies in effect at a schema location.
    struct LocationInfo {
        let base: URIReference
        let resource: Int
        let vocabularies: Vocabularies
    }

    let options: JSONSchema.Options
    var documents: [JSONValue] = []
    var documentURIs: [String] = []
    var resourceRoots: [Location] = []
    var resourceAnchors: [[String: Location]] = []
    var resourceDynamicAnchors: [[String: Location]] = []
    var resourceByURI: [String: Int] = [:]
    var infos: [Location: LocationInfo] = [:]
    var memo: [Location: Int] = [:]
    var nodes: [SchemaNode?] = []
    var pending: [(Location, Int)] = []
    var regexCache: [String: RegexBox] = [:]

    /// The base URI used when the schema has neither an `$id` nor ``JSONSchema/Options/baseURI``.
    static let defaultBaseURI = "urn:x-impact:schema"

    /// Meta-schema URIs of other drafts, evaluated with draft 2020-12 rules.
    static let otherDraftMetaSchemas: Set<String> = [
        "https://json-schema.org/draft/2019-09/schema",
        "http://json-schema.org/draft-07/schema",
        "http://json-schema.org/draft-06/schema",
        "http://json-schema.org/draft-04/schema",
    ]

    /// Creates a compiler for one schema.
    init(options: JSONSchema.Options) {
        self.options = options
    }

    /// Compiles the root schema and everything it can reach.
    func compile(_ schema: JSONValue) throws(JSONSchemaCompilationError) -> CompiledProgram {
        let base = options.baseURI?.absoluteString ?? SchemaCompiler.defaultBaseURI
        let doc = addDocument(schema, uri: base)
        try scan(document: doc, retrievalURI: URIReference(base).withoutFragment)
        let root = enqueue(Location(doc: 0, pointer: JSONPointer()))
        try drain()
        // Every $dynamicAnchor may become a $dynamicRef target at run time, so compile them all.
        var compiledAnchors = 0
        while compiledAnchors < resourceDynamicAnchors.count {
            for (_, location) in resourceDynamicAnchors[compiledAnchors] { _ = enqueue(location) }
            compiledAnchors += 1
            try drain()
        }
        var finished: [SchemaNode] = []
        finished.reserveCapacity(nodes.count)
        for node in nodes {
            finished.append(node ?? SchemaNode(body: .always(true), resource: 0, needsAnnotations: false))
        }
        let dynamic = resourceDynamicAnchors.map { anchors in
            anchors.compactMapValues { memo[$0] }
        }
        return CompiledProgram(
            nodes: finished, dynamicAnchors: dynamic, root: root,
            maxEvaluationDepth: max(1, options.maxEvaluationDepth))
    }

    // MARK: Documents and resources

    /// Stores a loaded document and returns its index.
    func addDocument(_ value: JSONValue, uri: String) -> Int {
        documents.append(value)
        documentURIs.append(uri)
        return documents.count - 1
    }

    /// Registers a schema resource (document root or `$id`) under `uri`.
    func newResource(uri: String, root: Location) -> Int {
        resourceRoots.append(root)
        resourceAnchors.append([:])
        resourceDynamicAnchors.append([:])
        let index = resourceRoots.count - 1
        resourceByURI[uri] = index
        return index
    }

    /// Human-readable location of a schema for error messages.
    func describe(_ location: Location) -> String {
        let pointer = location.pointer.description
        if location.doc == 0 { return pointer }
        return documentURIs[location.doc] + "#" + pointer
    }

    /// Registers every `$id`, `$anchor` and `$dynamicAnchor` in a document (iteratively).
    func scan(document doc: Int, retrievalURI: URIReference) throws(JSONSchemaCompilationError) {
        /// A schema object waiting to be scanned.
        struct Item {
            let value: JSONValue
            let tokens: [String]
            let base: URIReference
            let resource: Int
            let vocabularies: Vocabularies
        }
        let rootLocation = Location(doc: doc, pointer: JSONPointer())
        let rootResource = newResource(uri: retrievalURI.text, root: rootLocation)
        var stack = [
            Item(
                value: documents[doc], tokens: [], base: retrievalURI, resource: rootResource,
                vocabularies: .standard)
        ]
        while let item = stack.popLast() {
            guard case .object(let object) = item.value else { continue }
            let location = Location(doc: doc, pointer: JSONPointer(tokens: item.tokens))
            var base = item.base
            var resource = item.resource
            var vocabularies = item.vocabularies
            let isRoot = item.tokens.isEmpty
            if case .string(let id)? = object["$id"] {
                let resolved = item.base.resolving(URIReference(id)).withoutFragment
                if isRoot {
                    resourceByURI[resolved.text] = rootResource
                } else {
                    resource = newResource(uri: resolved.text, root: location)
                }
                base = resolved
            }
            if case .string(let metaSchema)? = object["$schema"], isRoot || object["$id"] != nil {
                vocabularies = try self.vocabularies(forMetaSchema: metaSchema, at: location)
            }
            infos[location] = LocationInfo(base: base, resource: resource, vocabularies: vocabularies)
            if case .string(let anchor)? = object["$anchor"] {
                resourceAnchors[resource][anchor] = location
            }
            if case .string(let anchor)? = object["$dynamicAnchor"] {
                resourceAnchors[resource][anchor] = location
                resourceDynamicAnchors[resource][anchor] = location
            }
            for (key, child) in object.members {
                switch key {
                case "$defs", "definitions", "properties", "patternProperties", "dependentSchemas":
                    if case .object(let members) = child {
                        for (name, schema) in members.members {
                            stack.append(
                                Item(
                                    value: schema, tokens: item.tokens + [key, name], base: base,
                                    resource: resource, vocabularies: vocabularies))
                        }
                    }
                case "prefixItems", "allOf", "anyOf", "oneOf", "items":
                    if case .array(let elements) = child {
                        for (i, schema) in elements.enumerated() {
                            stack.append(
                                Item(
                                    value: schema, tokens: item.tokens + [key, String(i)], base: base,
                                    resource: resource, vocabularies: vocabularies))
                        }
                    } else if key == "items" {
                        stack.append(
                            Item(
                                value: child, tokens: item.tokens + [key], base: base,
                                resource: resource, vocabularies: vocabularies))
                    }
                case "additionalProperties", "unevaluatedProperties", "unevaluatedItems", "contains",
                    "propertyNames", "not", "if", "then", "else":
                    stack.append(
                        Item(
                            value: child, tokens: item.tokens + [key], base: base,
                            resource: resource, vocabularies: vocabularies))
                default:
                    break
                }
            }
        }
    }

    /// The vocabularies a meta-schema enables (its `$vocabulary`), loading it if needed.
    func vocabularies(forMetaSchema uri: String, at location: Location) throws(JSONSchemaCompilationError) -> Vocabularies {
        let reference = URIReference(uri).withoutFragment.text
        if reference == MetaSchemas.draft202012 || SchemaCompiler.otherDraftMetaSchemas.contains(reference) {
            return .standard
        }
        let resource = try resourceIndex(for: reference, from: location)
        let root = resourceRoots[resource]
        guard let metaSchema = documents[root.doc].value(at: root.pointer),
            case .object(let declared)? = metaSchema["$vocabulary"]
        else { return .standard }
        var result: Vocabularies = []
        for (vocabulary, required) in declared.members {
            switch vocabulary {
            case Vocabularies.prefix + "applicator": result.insert(.applicator)
            case Vocabularies.prefix + "unevaluated": result.insert(.unevaluated)
            case Vocabularies.prefix + "validation": result.insert(.validation)
            case Vocabularies.prefix + "format-assertion": result.insert(.formatAssertion)
            case Vocabularies.prefix + "core", Vocabularies.prefix + "meta-data",
                Vocabularies.prefix + "format-annotation", Vocabularies.prefix + "content":
                break
            default:
                if required == .bool(true) {
                    throw .unsupportedVocabulary(uri: vocabulary, location: describe(location))
                }
            }
        }
        return result
    }

    /// The resource registered for an absolute URI (without fragment), loading the document if needed.
    func resourceIndex(for uri: String, from location: Location) throws(JSONSchemaCompilationError) -> Int {
        if let index = resourceByURI[uri] { return index }
        var loaded: JSONValue?
        if let text = MetaSchemas.documents[uri] {
            loaded = try? JSONParser().parse(text).value
        } else if let resolver = options.remoteResolver, let url = URL(string: uri) {
            loaded = resolver(url)
        }
        guard let value = loaded else {
            throw .unresolvableReference(reference: uri, location: describe(location))
        }
        let doc = addDocument(value, uri: uri)
        try scan(document: doc, retrievalURI: URIReference(uri))
        guard let index = resourceByURI[uri] else {
            throw .unresolvableReference(reference: uri, location: describe(location))
        }
        return index
    }

    /// Base URI, resource and vocabularies at a location (inherited from the nearest scanned ancestor).
    func info(for location: Location) -> LocationInfo {
        if let info = infos[location] { return info }
        var tokens = location.pointer.tokens
        while !tokens.isEmpty {
            tokens.removeLast()
            if let info = infos[Location(doc: location.doc, pointer: JSONPointer(tokens: tokens))] { return info }
        }
        return LocationInfo(base: URIReference(documentURIs[location.doc]), resource: 0, vocabularies: .standard)
    }

    /// Resolves a `$ref` value to a location in a loaded document.
    func resolve(reference: String, from location: Location, base: URIReference) throws(JSONSchemaCompilationError) -> Location {
        let target = base.resolving(URIReference(reference))
        let uri = target.withoutFragment.text
        let resource = try resourceIndex(for: uri, from: location)
        let root = resourceRoots[resource]
        let fragment = target.fragment ?? ""
        if fragment.isEmpty { return root }
        if fragment.hasPrefix("/") {
            guard let pointer = JSONPointer(uriFragment: fragment) else {
                throw .unresolvableReference(reference: reference, location: describe(location))
            }
            let resolved = Location(doc: root.doc, pointer: JSONPointer(tokens: root.pointer.tokens + pointer.tokens))
            guard documents[resolved.doc].value(at: resolved.pointer) != nil else {
                throw .unresolvableReference(reference: reference, location: describe(location))
            }
            return resolved
        }
        guard let anchored = resourceAnchors[resource][fragment] else {
            throw .unresolvableReference(reference: reference, location: describe(location))
        }
        return anchored
    }

    // MARK: Node compilation

    /// The node index for a location, queueing it for compilation the first time.
    func enqueue(_ location: Location) -> Int {
        if let index = memo[location] { return index }
        let index = nodes.count
        nodes.append(nil)
        memo[location] = index
        pending.append((location, index))
        return index
    }

    /// Compiles queued locations until none are left.
    func drain() throws(JSONSchemaCompilationError) {
        while let (location, index) = pending.popLast() {
            nodes[index] = try build(location)
        }
    }

    /// Compiles the schema at one location (children are only queued).
    func build(_ location: Location) throws(JSONSchemaCompilationError) -> SchemaNode {
        guard let value = documents[location.doc].value(at: location.pointer) else {
            throw .invalidSchema(location: describe(location), reason: "there is no schema here")
        }
        let info = info(for: location)
        switch value {
        case .bool(let b):
            return SchemaNode(body: .always(b), resource: info.resource, needsAnnotations: false)
        case .object(let object):
            var builder = KeywordBuilder(compiler: self, object: object, location: location, info: info)
            let keywords = try builder.build()
            if keywords.isEmpty {
                return SchemaNode(body: .always(true), resource: info.resource, needsAnnotations: false)
            }
            let needsAnnotations = keywords.contains {
                if case .unevaluatedItems = $0.kind { return true }
                if case .unevaluatedProperties = $0.kind { return true }
                return false
            }
            return SchemaNode(body: .keywords(keywords), resource: info.resource, needsAnnotations: needsAnnotations)
        default:
            throw .invalidSchema(
                location: describe(location),
                reason: "a schema must be an object, true or false, but this is \(Messages.article(value.typeName))")
        }
    }

    /// A compiled regular expression (cached by pattern text).
    func regex(_ pattern: String, at location: Location) throws(JSONSchemaCompilationError) -> RegexBox {
        if let cached = regexCache[pattern] { return cached }
        guard let box = RegexBox(pattern: pattern) else {
            throw .invalidPattern(pattern: pattern, location: describe(location))
        }
        regexCache[pattern] = box
        return box
    }
}

// MARK: - KeywordBuilder

/// Compiles the keywords of one schema object.
struct KeywordBuilder {
    let compiler: SchemaCompiler
    let object: JSONObject
    let location: Location
    let info: SchemaCompiler.LocationInfo

    var applicator: Bool { info.vocabularies.contains(.applicator) }
    var validation: Bool { info.vocabularies.contains(.validation) }

    /// Compiles all keywords, moving `unevaluated*` to the end as the specification requires.
    mutating func build() throws(JSONSchemaCompilationError) -> [CompiledKeyword] {
        var keywords: [CompiledKeyword] = []
        var last: [CompiledKeyword] = []
        for (name, value) in object.members {
            guard let kind = try compile(name, value) else { continue }
            switch kind {
            case .unevaluatedItems, .unevaluatedProperties:
                last.append(CompiledKeyword(name: name, kind: kind))
            default:
                keywords.append(CompiledKeyword(name: name, kind: kind))
            }
        }
        return keywords + last
    }

    // MARK: Value helpers

    /// An error about a keyword of this schema object.
    func invalid(_ keyword: String, _ reason: String) -> JSONSchemaCompilationError {
        .invalidKeyword(keyword: keyword, location: compiler.describe(location), reason: reason)
    }

    /// The keyword's value as a number.
    func number(_ keyword: String, _ value: JSONValue) throws(JSONSchemaCompilationError) -> JSONNumber {
        guard case .number(let n) = value else { throw invalid(keyword, "must be a number") }
        return n
    }

    /// The keyword's value as a non-negative whole number.
    func count(_ keyword: String, _ value: JSONValue) throws(JSONSchemaCompilationError) -> Int {
        guard case .number(let n) = value, let count = n.clampedNonNegativeInt else {
            throw invalid(keyword, "must be a whole number, 0 or more")
        }
        return count
    }

    /// The keyword's value as a list of strings.
    func strings(_ keyword: String, _ value: JSONValue) throws(JSONSchemaCompilationError) -> [String] {
        guard case .array(let elements) = value else { throw invalid(keyword, "must be a list of strings") }
        var result: [String] = []
        for element in elements {
            guard case .string(let s) = element else { throw invalid(keyword, "must be a list of strings") }
            result.append(s)
        }
        return result
    }

    /// Queues the subschema at `tokens` below this schema and returns its node index.
    func child(_ tokens: String...) -> Int {
        compiler.enqueue(Location(doc: location.doc, pointer: JSONPointer(tokens: location.pointer.tokens + tokens)))
    }

    /// Queues a non-empty list of subschemas.
    func schemaArray(_ keyword: String, _ value: JSONValue) throws(JSONSchemaCompilationError) -> [Int] {
        guard case .array(let elements) = value, !elements.isEmpty else {
            throw invalid(keyword, "must be a non-empty list of schemas")
        }
        return elements.indices.map { child(keyword, String($0)) }
    }

    /// Queues an object of subschemas, keeping member order.
    func schemaMap(_ keyword: String, _ value: JSONValue) throws(JSONSchemaCompilationError) -> [(String, Int)] {
        guard case .object(let members) = value else { throw invalid(keyword, "must be an object of schemas") }
        return members.members.map { ($0.key, child(keyword, $0.key)) }
    }

    // MARK: Keywords

    /// Compiles one keyword, or returns nil when it has no effect (unknown, annotation-only, or handled elsewhere).
    mutating func compile(_ name: String, _ value: JSONValue) throws(JSONSchemaCompilationError) -> KeywordKind? {
        switch name {
        // Core.
        case "$ref":
            guard case .string(let reference) = value else { throw invalid(name, "must be a string") }
            let target = try compiler.resolve(reference: reference, from: location, base: info.base)
            return .ref(compiler.enqueue(target))
        case "$dynamicRef":
            guard case .string(let reference) = value else { throw invalid(name, "must be a string") }
            let target = try compiler.resolve(reference: reference, from: location, base: info.base)
            let fragment = info.base.resolving(URIReference(reference)).fragment ?? ""
            var anchor: String?
            if !fragment.isEmpty, !fragment.hasPrefix("/") {
                let targetResource = compiler.info(for: target).resource
                if compiler.resourceDynamicAnchors[targetResource][fragment] == target { anchor = fragment }
            }
            return .dynamicRef(compiler.enqueue(target), anchor: anchor)

        // Applicators.
        case "allOf" where applicator: return .allOf(try schemaArray(name, value))
        case "anyOf" where applicator: return .anyOf(try schemaArray(name, value))
        case "oneOf" where applicator: return .oneOf(try schemaArray(name, value))
        case "not" where applicator: return .not(child(name))
        case "if" where applicator:
            let thenNode = object["then"] != nil ? child("then") : nil
            let elseNode = object["else"] != nil ? child("else") : nil
            return .conditional(if: child(name), then: thenNode, else: elseNode)
        case "dependentSchemas" where applicator: return .dependentSchemas(try schemaMap(name, value))
        case "prefixItems" where applicator: return .prefixItems(try schemaArray(name, value))
        case "items" where applicator:
            if case .array = value {
                // Draft 2019-09 and earlier tuple form: treat like prefixItems.
                return .prefixItems(try schemaArray(name, value))
            }
            var start = 0
            if case .array(let prefix)? = object["prefixItems"] { start = prefix.count }
            return .items(child(name), from: start)
        case "contains" where applicator:
            var minimum = 1
            var maximum: Int?
            var minKeyword = "contains"
            if validation, let minValue = object["minContains"] {
                minimum = try count("minContains", minValue)
                minKeyword = "minContains"
            }
            if validation, let maxValue = object["maxContains"] { maximum = try count("maxContains", maxValue) }
            return .contains(child(name), min: minimum, max: maximum, minKeyword: minKeyword)
        case "properties" where applicator:
            let list = try schemaMap(name, value)
            var lookup: [ExactKey: Int] = [:]
            for (key, node) in list { lookup[ExactKey(string: key)] = node }
            return .properties(list, lookup)
        case "patternProperties" where applicator:
            guard case .object(let members) = value else { throw invalid(name, "must be an object of schemas") }
            var list: [(RegexBox, Int)] = []
            for (pattern, _) in members.members {
                list.append((try compiler.regex(pattern, at: location), child(name, pattern)))
            }
            return .patternProperties(list)
        case "additionalProperties" where applicator:
            var known = Set<ExactKey>()
            if case .object(let properties)? = object["properties"] {
                for key in properties.keys { known.insert(ExactKey(string: key)) }
            }
            var patterns: [RegexBox] = []
            if case .object(let patternProperties)? = object["patternProperties"] {
                for pattern in patternProperties.keys { patterns.append(try compiler.regex(pattern, at: location)) }
            }
            return .additionalProperties(child(name), known: known, patterns: patterns)
        case "propertyNames" where applicator: return .propertyNames(child(name))
        case "unevaluatedItems" where info.vocabularies.contains(.unevaluated): return .unevaluatedItems(child(name))
        case "unevaluatedProperties" where info.vocabularies.contains(.unevaluated): return .unevaluatedProperties(child(name))

        // Validation.
        case "type" where validation:
            var set: TypeSet = []
            switch value {
            case .string(let typeName):
                guard let t = TypeSet(name: typeName) else { throw invalid(name, "has an unknown type \"\(typeName)\"") }
                set = t
            case .array:
                for typeName in try strings(name, value) {
                    guard let t = TypeSet(name: typeName) else { throw invalid(name, "has an unknown type \"\(typeName)\"") }
                    set.insert(t)
                }
            default:
                throw invalid(name, "must be a type name or a list of type names")
            }
            return .type(set)
        case "enum" where validation:
            guard case .array(let values) = value else { throw invalid(name, "must be a list of values") }
            return .enumeration(values, values.count > 8 ? Set(values) : nil)
        case "const" where validation: return .constant(value)
        case "multipleOf" where validation:
            let n = try number(name, value)
            guard !n.isNegative, !n.isZero else { throw invalid(name, "must be a number greater than 0") }
            return .multipleOf(n)
        case "maximum" where validation: return .maximum(try number(name, value))
        case "exclusiveMaximum" where validation: return .exclusiveMaximum(try number(name, value))
        case "minimum" where validation: return .minimum(try number(name, value))
        case "exclusiveMinimum" where validation: return .exclusiveMinimum(try number(name, value))
        case "maxLength" where validation: return .maxLength(try count(name, value))
        case "minLength" where validation: return .minLength(try count(name, value))
        case "pattern" where validation:
            guard case .string(let pattern) = value else { throw invalid(name, "must be a string") }
            return .pattern(try compiler.regex(pattern, at: location))
        case "maxItems" where validation: return .maxItems(try count(name, value))
        case "minItems" where validation: return .minItems(try count(name, value))
        case "uniqueItems" where validation:
            guard case .bool(let unique) = value else { throw invalid(name, "must be true or false") }
            return unique ? .uniqueItems : nil
        case "maxProperties" where validation: return .maxProperties(try count(name, value))
        case "minProperties" where validation: return .minProperties(try count(name, value))
        case "required" where validation: return .required(try strings(name, value))
        case "dependentRequired" where validation:
            guard case .object(let members) = value else { throw invalid(name, "must be an object of string lists") }
            var list: [(String, [String])] = []
            for (key, required) in members.members { list.append((key, try strings(name, required))) }
            return .dependentRequired(list)

        // Format.
        case "format":
            guard options.formatAssertion || info.vocabularies.contains(.formatAssertion),
                case .string(let formatName) = value, let kind = FormatKind(rawValue: formatName)
            else { return nil }
            return .format(kind)

        default:
            return nil
        }
    }

    var options: JSONSchema.Options { compiler.options }
}
