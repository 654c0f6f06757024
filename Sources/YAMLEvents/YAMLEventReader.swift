// libyaml's event parser, for reading a YAML document without building a node tree first.
//
// libyaml is the copy Yams builds (its `CYaml` module); Yams itself composes a whole tree of nodes, with
// anchors and duplicate checks by node, which costs three times the parse on a large form. This reader
// hands the events over one by one, with their text already in Swift strings, and keeps the C parser and
// its input in memory it owns and frees.
import CYaml

/// What a YAML event says, in document order.
public enum YAMLEvent: Sendable, Equatable {
    case streamStart
    case streamEnd
    case documentStart
    case documentEnd
    /// `*name`.
    case alias(YAMLMark)
    /// A scalar: its text, its tag as written (`tag:yaml.org,2002:str` for a quoted scalar without one),
    /// whether it was plain (unquoted), and whether it carries an anchor.
    case scalar(String, tag: String, plain: Bool, anchored: Bool, YAMLMark)
    case sequenceStart(anchored: Bool, YAMLMark)
    case sequenceEnd
    case mappingStart(anchored: Bool, YAMLMark)
    case mappingEnd
}

/// Where an event starts: 1-based line and column, and the 0-based character offset.
public struct YAMLMark: Sendable, Equatable {
    public var line: Int
    public var column: Int
    public var offset: Int
}

/// Why the parser stopped: libyaml's problem and where.
public struct YAMLEventError: Error, Sendable, Equatable {
    public var problem: String
    public var mark: YAMLMark
}

/// Reads the events of a UTF-8 YAML text one by one.
public final class YAMLEventReader {
    private let input: UnsafeMutableBufferPointer<UInt8>
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private var finished = false

    /// The tag libyaml gives a quoted scalar that has none of its own.
    public static let stringTag = "tag:yaml.org,2002:str"

    /// A reader over a copy of `bytes` (UTF-8, without a byte-order mark).
    public init(bytes: [UInt8]) {
        input = UnsafeMutableBufferPointer.allocate(capacity: max(1, bytes.count))
        _ = input.initialize(from: bytes)
        parser = UnsafeMutablePointer.allocate(capacity: 1)
        parser.initialize(to: yaml_parser_t())
        yaml_parser_initialize(parser)
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(parser, input.baseAddress, bytes.count)
    }

    deinit {
        yaml_parser_delete(parser)
        parser.deinitialize(count: 1)
        parser.deallocate()
        input.deallocate()
    }

    /// The next event; `.streamEnd` once the text is over.
    public func next() throws(YAMLEventError) -> YAMLEvent {
        if finished { return .streamEnd }
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else {
            finished = true
            let problem = parser.pointee.problem.map { String(cString: $0) } ?? "unknown problem"
            let mark = parser.pointee.problem_mark
            throw YAMLEventError(problem: problem, mark: YAMLMark(line: mark.line + 1, column: mark.column + 1, offset: mark.index))
        }
        defer { yaml_event_delete(&event) }
        let mark = YAMLMark(line: event.start_mark.line + 1, column: event.start_mark.column + 1, offset: event.start_mark.index)
        switch event.type {
        case YAML_STREAM_START_EVENT: return .streamStart
        case YAML_STREAM_END_EVENT:
            finished = true
            return .streamEnd
        case YAML_DOCUMENT_START_EVENT: return .documentStart
        case YAML_DOCUMENT_END_EVENT: return .documentEnd
        case YAML_ALIAS_EVENT: return .alias(mark)
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            // The length, not the terminator: a scalar may hold NUL characters.
            let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
            let tag =
                scalar.quoted_implicit == 1
                ? Self.stringTag : scalar.tag.map { String(cString: $0) } ?? ""
            return .scalar(text, tag: tag, plain: scalar.style == YAML_PLAIN_SCALAR_STYLE, anchored: scalar.anchor != nil, mark)
        case YAML_SEQUENCE_START_EVENT: return .sequenceStart(anchored: event.data.sequence_start.anchor != nil, mark)
        case YAML_SEQUENCE_END_EVENT: return .sequenceEnd
        case YAML_MAPPING_START_EVENT: return .mappingStart(anchored: event.data.mapping_start.anchor != nil, mark)
        case YAML_MAPPING_END_EVENT: return .mappingEnd
        default:
            finished = true
            throw YAMLEventError(problem: "an event libyaml does not document", mark: mark)
        }
    }
}
