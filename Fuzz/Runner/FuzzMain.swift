import Foundation
import FuzzTargets

#if FUZZING
    import CLibFuzzer
#endif

#if FUZZING
    /// The target libFuzzer drives, named by IMPACT_FUZZ_TARGET (scripts/fuzz sets it).
    let selectedTarget: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["IMPACT_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
            FileHandle.standardError.write(Data("Set IMPACT_FUZZ_TARGET to one of: \(names).\n".utf8))
            exit(2)
        }
        return target
    }()

    /// One input, for libFuzzer.
    func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
        selectedTarget.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
        return 0
    }

    /// The program's entry point. SwiftPM links an executable's `main` to `impact_fuzz_main`, so libFuzzer's
    /// own `main` is not used: this one hands the command line to libFuzzer's driver.
    @_cdecl("impact_fuzz_main")
    func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
        var count = argc
        var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
        _ = selectedTarget
        return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzzOneInput(data, size) }
    }
#else
    /// Built without libFuzzer: replays saved inputs (`impact-fuzz TARGET FILE-OR-FOLDER…`), to reproduce a
    /// crash under a debugger or check a fix.
    @main
    struct FuzzReplay {
        static func main() {
            let arguments = Array(CommandLine.arguments.dropFirst())
            guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
                let names = FuzzTarget.allCases.map { "  \($0.rawValue): \($0.summary)" }.joined(separator: "\n")
                print("usage: impact-fuzz TARGET FILE-OR-FOLDER...\ntargets:\n\(names)")
                exit(2)
            }
            var count = 0
            for path in arguments.dropFirst() {
                var isFolder: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                    FileHandle.standardError.write(Data("impact-fuzz: \(path): no such file or folder.\n".utf8))
                    exit(2)
                }
                let files =
                    isFolder.boolValue
                    ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { path + "/" + $0 } : [path]
                for file in files {
                    guard let data = FileManager.default.contents(atPath: file) else { continue }
                    target.run([UInt8](data))
                    count += 1
                }
            }
            print("\(target.rawValue): \(count) input\(count == 1 ? "" : "s") replayed, no crash.")
        }
    }
#endif
