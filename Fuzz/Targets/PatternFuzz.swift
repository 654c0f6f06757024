import Foundation
import TableSchema

/// Field patterns: the first line is compiled as a pattern, the rest is matched against it. Where the
/// fast byte matcher handles a pattern, it must agree with the regular-expression engine.
enum PatternFuzz {
    static func run(_ data: [UInt8]) {
        let split = data.firstIndex(of: 0x0A) ?? data.endIndex
        let source = String(decoding: data[..<split], as: UTF8.self)
        guard source.utf8.count <= 200, let pattern = Pattern(source) else { return }
        let subject = split < data.endIndex ? data[(split + 1)...] : []
        let matched = pattern.matches(subject)
        guard pattern.isSimple, let text = String(validating: subject, as: UTF8.self),
            let expression = try? NSRegularExpression(pattern: "^(?:\(source))\\z")
        else { return }
        let expected = expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        invariant(
            matched == expected,
            "pattern \(source.debugDescription) on \(text.debugDescription): the byte matcher says \(matched), the regex engine \(expected)")
    }
}
