import ImpactCLI

/// The `impact` program: everything it does is in the `ImpactCLI` library.
@main
enum ImpactMain {
    static func main() async {
        await ImpactCommand.main()
    }
}
