import Foundation

// MARK: - JSONSchema

/// A compiled JSON Schema (draft 2020-12) that validates many instances.
///
/// Compile once, validate many times; a compiled schema is immutable and safe to share between
/// tasks and threads.
///
/// ```swift
/// let schema = try JSONSchema(compiling: schemaValue, options: .init(formatAssertion: true))
/// for problem in schema.validate(instance) {
///     print(problem.instancePointer, problem.message)
/// }
/// ```
///
/// `$ref`s are resolved while compiling: local JSON pointers, `$id`-relative URIs, `$anchor`,
/// `$dynamicRef`/`$dynamicAnchor`, the embedded draft 2020-12 meta-schemas, and anything else
/// through ``Options/remoteResolver`` (never the network).
public struct JSONSchema: Sendable {
    /// Settings for compiling and validating.
    public struct Options: Sendable {
        /// When true, `format` is checked (`date`, `date-time`, `time`, `email`, `hostname`, `uri`,
        /// `uri-reference`, `ipv4`, `ipv6`, `uuid`, `json-pointer`); when false it is only an annotation.
        public var formatAssertion: Bool
        /// Supplies documents for `$ref`s to other URIs (for example a folder of schemas); nil means none.
        public var remoteResolver: (@Sendable (URL) -> JSONValue?)?
        /// The URI of the schema itself, for resolving relative references when it has no `$id`.
        public var baseURI: URL?
        /// The deepest nesting of schema evaluation allowed before validation stops with an error.
        ///
        /// Validation also stops cleanly (with the same error) when the current thread's stack is
        /// nearly used up, so a deep instance can never crash the process.
        public var maxEvaluationDepth: Int

        /// Creates options; every argument has a default.
        public init(
            formatAssertion: Bool = false,
            remoteResolver: (@Sendable (URL) -> JSONValue?)? = nil,
            baseURI: URL? = nil,
            maxEvaluationDepth: Int = 1_000
        ) {
            self.formatAssertion = formatAssertion
            self.remoteResolver = remoteResolver
            self.baseURI = baseURI
            self.maxEvaluationDepth = maxEvaluationDepth
        }
    }

    /// The compiled form shared by all copies.
    let program: CompiledProgram

    /// Compiles `schema` (an object or a boolean) so it can validate instances.
    ///
    /// - Throws: ``JSONSchemaCompilationError`` when the schema is malformed, a pattern is not a valid
    ///   regular expression, a `$ref` cannot be resolved, or a required vocabulary is unknown.
    public init(compiling schema: JSONValue, options: Options = Options()) throws(JSONSchemaCompilationError) {
        program = try SchemaCompiler(options: options).compile(schema)
    }

    /// Validates `instance` and returns every problem found, in document order (empty when valid).
    ///
    /// Failures inside `not`, inside `if`, and in the alternatives of a passing `anyOf`/`oneOf` are not
    /// reported; a failing `anyOf`/`oneOf` produces one summarising error.
    public func validate(_ instance: JSONValue) -> [JSONSchemaError] {
        var evaluator = Evaluator(program: program, reporting: true)
        var annotations = Annotations()
        _ = evaluator.evaluate(program.root, instance, &annotations, collect: false)
        return evaluator.finishedErrors()
    }

    /// Whether `instance` is valid; faster than ``validate(_:)`` because it stops at the first problem.
    public func isValid(_ instance: JSONValue) -> Bool {
        var evaluator = Evaluator(program: program, reporting: false)
        var annotations = Annotations()
        return evaluator.evaluate(program.root, instance, &annotations, collect: false)
    }
}

// MARK: - JSONSchemaError

/// One validation problem: where it is, which keyword failed, and a plain-English message.
public struct JSONSchemaError: Sendable, Hashable, CustomStringConvertible {
    /// JSON pointer of the failing value in the instance (`""` for the whole document).
    public let instancePointer: String
    /// The schema keyword that failed, e.g. `required`, `type`, `format`, `anyOf`.
    public let keyword: String
    /// The keyword's location along the evaluation path through the schema, e.g. `/properties/age/minimum`.
    public let schemaPath: String
    /// What is wrong, in words a non-specialist understands, quoting the value,
    /// e.g. `expected a date like 2026-07-15, found "15th July"`.
    public let message: String

    /// Creates an error.
    public init(instancePointer: String, keyword: String, schemaPath: String, message: String) {
        self.instancePointer = instancePointer
        self.keyword = keyword
        self.schemaPath = schemaPath
        self.message = message
    }

    /// `pointer: message` (the root is shown as `(root)`).
    public var description: String {
        "\(instancePointer.isEmpty ? "(root)" : instancePointer): \(message)"
    }
}

// MARK: - JSONSchemaCompilationError

/// Why a schema could not be compiled. `location` is the JSON pointer of the schema object
/// (prefixed with the document URI for documents other than the main schema).
public enum JSONSchemaCompilationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Something that should be a schema is neither an object nor a boolean.
    case invalidSchema(location: String, reason: String)
    /// A known keyword has a value of the wrong kind (e.g. a negative `minLength`).
    case invalidKeyword(keyword: String, location: String, reason: String)
    /// A `pattern` or `patternProperties` key is not a valid regular expression.
    case invalidPattern(pattern: String, location: String)
    /// A `$ref`/`$dynamicRef` points to nothing that is known or supplied.
    case unresolvableReference(reference: String, location: String)
    /// The meta-schema requires a vocabulary this validator does not implement.
    case unsupportedVocabulary(uri: String, location: String)

    /// A plain-English explanation.
    public var description: String {
        switch self {
        case .invalidSchema(let location, let reason):
            return "schema at \(Self.show(location)): \(reason)"
        case .invalidKeyword(let keyword, let location, let reason):
            return "schema at \(Self.show(location)): '\(keyword)' \(reason)"
        case .invalidPattern(let pattern, let location):
            return "schema at \(Self.show(location)): \"\(pattern)\" is not a valid regular expression"
        case .unresolvableReference(let reference, let location):
            return "schema at \(Self.show(location)): cannot find \"\(reference)\""
        case .unsupportedVocabulary(let uri, let location):
            return "schema at \(Self.show(location)): the required vocabulary \(uri) is not supported"
        }
    }

    /// The root pointer is shown as `/` to be readable.
    private static func show(_ location: String) -> String {
        location.isEmpty ? "/" : location
    }
}
