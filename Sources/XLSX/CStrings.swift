#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// C strings that must outlive a single `withCString` closure, such as the fields of an options
/// struct; everything is freed when the bag goes away.
///
/// libxlsxwriter copies every string it keeps, so a bag only has to live for the duration of
/// the call that reads the struct: `try withExtendedLifetime(bag) { … }`.
final class CStringBag {
    private var allocations: [UnsafeMutableRawPointer] = []
    private let operation: String

    /// Creates an empty bag; `operation` names the call in out-of-memory errors.
    init(operation: String) {
        self.operation = operation
    }

    deinit {
        for pointer in allocations { free(pointer) }
    }

    /// A NUL-terminated copy of the text (any NUL inside is replaced by U+FFFD, which C would
    /// otherwise read as the end of the string).
    func string(_ text: String) throws -> UnsafeMutablePointer<CChar> {
        let clean = text.contains("\0") ? text.replacingOccurrences(of: "\0", with: "\u{FFFD}") : text
        guard let copy = strdup(clean) else { throw XLSXError.outOfMemory(operation: operation) }
        allocations.append(UnsafeMutableRawPointer(copy))
        return copy
    }

    /// A copy of the text, or nil.
    func optional(_ text: String?) throws -> UnsafeMutablePointer<CChar>? {
        guard let text else { return nil }
        return try string(text)
    }

    /// A NULL-terminated array of copies of the texts.
    func stringArray(_ texts: [String]) throws -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> {
        let array = try pointerArray(count: texts.count, of: CChar.self)
        for (i, text) in texts.enumerated() { array[i] = try string(text) }
        return array
    }

    /// A NULL-terminated array with room for `count` pointers, all NULL.
    func pointerArray<T>(count: Int, of: T.Type) throws -> UnsafeMutablePointer<UnsafeMutablePointer<T>?> {
        guard let raw = calloc(count + 1, MemoryLayout<UnsafeMutablePointer<T>?>.stride) else {
            throw XLSXError.outOfMemory(operation: operation)
        }
        allocations.append(raw)
        return raw.bindMemory(to: UnsafeMutablePointer<T>?.self, capacity: count + 1)
    }

    /// A zero-filled C struct that lives as long as the bag.
    func structure<T>(_ type: T.Type) throws -> UnsafeMutablePointer<T> {
        guard let raw = calloc(1, MemoryLayout<T>.stride) else { throw XLSXError.outOfMemory(operation: operation) }
        allocations.append(raw)
        return raw.bindMemory(to: T.self, capacity: 1)
    }
}
