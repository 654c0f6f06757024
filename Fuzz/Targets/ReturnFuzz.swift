import Impact
import TableSchema

/// Whole returns through `impact validate`'s stage, from bytes in memory (as the partner portal checks
/// them): every finding must name a place in the file and say something.
enum ReturnFuzz {
    static let stage: ValidationStage = {
        guard let workspace = try? Workspace.load(folder: nil) else { fatalError("the embedded schemas do not load") }
        var options = ValidationOptions(workspace: workspace, quarter: Quarter(year: 2026, number: 2))
        options.limits.maxFormDepth = 32
        options.limits.maxFieldBytes = 4_096
        return ValidationStage(options: options)
    }()

    /// The first byte chooses JSON or YAML; the rest is the form.
    static func runForm(_ data: [UInt8]) {
        let name = (data.first ?? 0) & 1 == 0 ? "fuzz.json" : "fuzz.yaml"
        check(InputFile(name: name, contents: Array(data.dropFirst())))
    }

    static func runTable(_ data: [UInt8]) {
        check(InputFile(name: "fuzz.csv", contents: data))
    }

    static func check(_ input: InputFile) {
        let reports = stage.run(files: [input])
        invariant(reports.count == 1, "one report per file, got \(reports.count)")
        for finding in reports.first?.findings ?? [] {
            invariant(!finding.message.isEmpty, "a \(finding.code) finding has no message")
            if let row = finding.rowNumber { invariant(row >= 1, "a finding names row \(row)") }
            if let sheet = finding.sheet {
                invariant(finding.cellReference?.hasPrefix(Finding.sheetNameInReference(sheet)) == true, "a sheet finding names its sheet")
            }
        }
    }
}
