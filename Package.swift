// swift-tools-version: 6.1
import PackageDescription

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

        // MARK: - Standards (know nothing about quarterly returns)
        .target(name: "CSV", dependencies: ["CLibCSV"]),
        .target(name: "TableSchema"),
        .target(name: "JSONSchema"),
        .target(name: "XLSX", dependencies: ["CXlsxWriter"]),

        // MARK: - The domain
        .target(
            name: "Impact",
            dependencies: [
                "CSV", "TableSchema", "JSONSchema", "XLSX",
                .product(name: "Yams", package: "Yams"),
            ]
        ),

        // MARK: - The executable
        .executableTarget(
            name: "impact",
            dependencies: [
                "Impact",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: - Tests
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "CSVTests", dependencies: ["CSV", "TestSupport"]),
        .testTarget(name: "TableSchemaTests", dependencies: ["TableSchema", "CSV", "TestSupport"]),
        .testTarget(name: "JSONSchemaTests", dependencies: ["JSONSchema"]),
        .testTarget(name: "XLSXTests", dependencies: ["XLSX", "TestSupport"]),
        .testTarget(name: "ImpactTests", dependencies: ["Impact", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
