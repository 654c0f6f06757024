import Mustache
import Testing

@testable import Impact

/// The generated lookups (`ContextFields.swift`, from `scripts/mustache-fields`) answer every name exactly
/// as swift-mustache's reflection does, for every value in the report's and each feedback file's context.
@Suite struct ContextFieldsTests {
    @Test("Every context value's lookups equal reflection's, all the way down")
    func lookupsEqualReflection() throws {
        let input = FiguresFixture.input
        let figures = FigureCalculator(settings: input.settings, reference: input.reference).figures(for: input)
        var contexts: [Any] = [ImpactReportContext(input: input, figures: figures)]
        for partner in figures.submissions.partners {
            contexts.append(FeedbackContext(partner: partner, input: input, figures: figures))
        }
        var checked = 0
        var parents = 0
        for context in contexts { Self.compare(context, checked: &checked, parents: &parents) }
        #expect(parents > 40)
        #expect(checked > 400)
    }

    /// Compares each stored property's lookup with reflection's, then walks into it.
    static func compare(_ value: Any, checked: inout Int, parents: inout Int) {
        let mirror = Mirror(reflecting: value)
        if let parent = value as? MustacheParent, mirror.displayStyle == .struct {
            parents += 1
            for child in mirror.children {
                guard let label = child.label else { continue }
                let expected = unwrapped(child.value)
                let found = parent.child(named: label)
                #expect(found.map { String(describing: $0) } == expected.map { String(describing: $0) }, "\(type(of: value)).\(label)")
                checked += 1
            }
            #expect(parent.child(named: "no such field") == nil)
        }
        for child in mirror.children { compare(child.value, checked: &checked, parents: &parents) }
    }

    /// A value with one optional unwrapped, as swift-mustache unwraps it.
    static func unwrapped(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first?.value
    }
}
