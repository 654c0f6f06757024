import Foundation
import FuzzTargets
import TestSupport
import Testing

/// Every fuzz target runs every seed in `Fuzz/corpus/<target>/` and every input that once crashed it,
/// kept in `Fuzz/regressions/<target>/`, on each test run: a crash fixed stays fixed.
@Suite struct FuzzCorpusTests {
    static func inputs(_ folder: String) -> [String] {
        let path = TestPaths.repo(folder)
        return ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { !$0.hasPrefix(".") }.sorted().map {
            path + "/" + $0
        }
    }

    @Test("Each target has seeds", arguments: FuzzTarget.allCases)
    func hasSeeds(_ target: FuzzTarget) {
        #expect(Self.inputs("Fuzz/corpus/\(target.rawValue)").count >= 3, "Fuzz/corpus/\(target.rawValue) needs seeds")
    }

    @Test("Seeds and saved crashes replay without a crash", arguments: FuzzTarget.allCases)
    func replays(_ target: FuzzTarget) throws {
        let files = Self.inputs("Fuzz/corpus/\(target.rawValue)") + Self.inputs("Fuzz/regressions/\(target.rawValue)")
        for file in files {
            let data = try #require(FileManager.default.contents(atPath: file), "\(file) cannot be read")
            target.run([UInt8](data))
        }
    }
}
