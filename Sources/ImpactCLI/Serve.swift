import ArgumentParser
import Foundation
import ImpactPortal
import Logging

/// `impact serve --workspace DIR`: the partner portal, where partners check a return in a browser.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the partner portal: a web page where partners check a return before sending it.",
        discussion: """
            Serves http://HOST:PORT/ until stopped with Ctrl-C (SIGINT) or SIGTERM. Partners choose their \
            files (or paste a table), and see every problem on their own rows with how to fix it. The page \
            uses the workspace's schemas and reference tables; files checked are read in memory and not kept.
            """
    )

    @OptionGroup var workspace: WorkspaceOptions

    @Option(help: "The address to listen on. Use 0.0.0.0 to accept other machines (behind a TLS proxy).")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on.")
    var port = 8080

    @Option(help: "The most megabytes one check may upload.")
    var maxUploadMB = 10

    func validate() throws {
        guard (1...65_535).contains(port) else { throw ValidationError("--port \(port) is not a port: use 1 to 65535.") }
        guard (1...512).contains(maxUploadMB) else {
            throw ValidationError("--max-upload-mb \(maxUploadMB) is out of range: use 1 to 512.")
        }
        try workspace.requireWorkspace()
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: workspace.folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw ValidationError("--workspace \"\(workspace.folder)\" is not a folder. Give the workspace that holds impact.yaml.")
        }
    }

    func run() async throws {
        var options = Portal.Options(workspace: workspace.folder)
        options.maxUploadBytes = maxUploadMB * 1024 * 1024
        options.schemas = workspace.schemas
        let portal = try Portal(options: options)
        var logger = Logger(label: "impact.serve")
        logger.logLevel = .info
        logger.info("serving the partner portal on http://\(host):\(port)/ (stop with Ctrl-C)")
        try await portal.application(host: host, port: port, logger: logger).runService()
    }
}
