import Foundation
import ImpactCLI

/// The `impact` program: everything it does is in the `ImpactCLI` library.
@main
enum ImpactMain {
    static func main() async {
        exit(await ImpactCommand.run())
    }
}
