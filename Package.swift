// swift-tools-version: 6.1
import PackageDescription

/// The per-cell modules skip the run-time exclusivity checks in release builds: they cost a fifth of
/// validation time (docs/performance.md). Debug builds, tests and sanitizer runs keep them, and the
/// compile-time checks always apply.
let hotPath: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "impact",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "impact", targets: ["impact"]),
        .library(name: "Impact", targets: ["Impact"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // MARK: - C libraries (module map and shim header only)
        .systemLibrary(
            name: "CLibCSV",
            providers: [.apt(["libcsv-dev"])]
        ),
        .systemLibrary(
            name: "CXlsxWriter",
            pkgConfig: "xlsxwriter",
            providers: [.apt(["libxlsxwriter-dev"])]
        ),
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .systemLibrary(
            name: "CGLPK",
            providers: [.apt(["libglpk-dev"])]
        ),
        // zlib, for the CRC-32 that checks each workbook part as it is unpacked.
        .systemLibrary(
            name: "CZlibChecksum",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // glibc's malloc_trim, to hand freed memory back between the stages of a large run.
        .systemLibrary(name: "CMalloc"),
        // libFuzzer's driver entry point (declaration only; present when built with -sanitize=fuzzer).
        .systemLibrary(name: "CLibFuzzer"),

        // MARK: - Standards (know nothing about quarterly returns)
        .target(name: "Dates"),
        .target(name: "CSV", dependencies: ["CLibCSV"], swiftSettings: hotPath),
        .target(name: "TableSchema", dependencies: ["Dates"], swiftSettings: hotPath),
        .target(name: "JSONSchema"),
        .target(name: "XLSX", dependencies: ["CXlsxWriter", "Dates"]),
        .target(name: "GLPK", dependencies: ["CGLPK"]),
        // libyaml's events; its C library is the copy Yams builds (the `CYaml` module).
        .target(name: "YAMLEvents", dependencies: [.product(name: "Yams", package: "Yams")]),
        .target(
            name: "XLSXReader",
            dependencies: ["CLibXML2", "CZlibChecksum", "Dates", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),

        // MARK: - The domain
        .target(
            name: "Impact",
            dependencies: [
                "Dates", "CSV", "TableSchema", "JSONSchema", "XLSX", "XLSXReader", "GLPK", "CMalloc",
                "YAMLEvents",
                .product(name: "Yams", package: "Yams"),
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API, for binding a quarter's rows without GRDB's boxing (Store/RowInsertion.swift).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),

        // MARK: - The partner portal (impact serve)
        .target(
            name: "ImpactPortal",
            dependencies: [
                "Impact", "CSV", "TableSchema",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),

        // MARK: - Synthetic workspaces (impact generate, the tests and the benchmarks)
        .target(name: "ImpactGenerator", dependencies: ["Impact", "Dates", "JSONSchema", "TableSchema"]),

        // MARK: - The command line (a library, so that tests can parse arguments; the executable only calls it)
        .target(
            name: "ImpactCLI",
            dependencies: [
                "Impact", "ImpactPortal", "ImpactGenerator", "TableSchema",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "impact", dependencies: ["ImpactCLI"]),

        // MARK: - Fuzzing (scripts/fuzz builds impact-fuzz with libFuzzer; built normally it replays inputs)
        .target(
            name: "FuzzTargets",
            dependencies: [
                "CSV", "TableSchema", "JSONSchema", "Impact", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            path: "Fuzz/Targets"),
        .executableTarget(name: "impact-fuzz", dependencies: ["FuzzTargets", "CLibFuzzer"], path: "Fuzz/Runner"),

        // MARK: - Tests
        .target(
            name: "TestSupport", dependencies: [.product(name: "ZIPFoundation", package: "ZIPFoundation")],
            path: "Tests/TestSupport"),
        .testTarget(name: "DatesTests", dependencies: ["Dates"]),
        .testTarget(name: "CSVTests", dependencies: ["CSV", "TestSupport"]),
        .testTarget(name: "TableSchemaTests", dependencies: ["TableSchema", "Dates", "CSV", "TestSupport"]),
        .testTarget(name: "JSONSchemaTests", dependencies: ["JSONSchema"]),
        .testTarget(name: "XLSXTests", dependencies: ["XLSX", "TestSupport"]),
        .testTarget(name: "GLPKTests", dependencies: ["GLPK"]),
        .testTarget(
            name: "XLSXReaderTests",
            dependencies: ["XLSXReader", "XLSX", "TestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .testTarget(
            name: "ImpactTests",
            dependencies: [
                "Impact", "ImpactGenerator", "Dates", "JSONSchema", "TableSchema", "TestSupport", "XLSX", "XLSXReader",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            exclude: ["Golden"]),
        .testTarget(name: "FuzzTests", dependencies: ["FuzzTargets", "TestSupport"]),
        .testTarget(
            name: "ImpactPortalTests",
            dependencies: [
                "ImpactPortal", "Impact", "TableSchema", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]),
        .testTarget(name: "ImpactGeneratorTests", dependencies: ["ImpactGenerator", "Impact", "TableSchema", "TestSupport"]),
        .testTarget(name: "ImpactCLITests", dependencies: ["ImpactCLI", "Impact", "TableSchema", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
