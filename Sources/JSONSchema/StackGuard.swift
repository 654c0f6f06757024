import Foundation

// MARK: - StackGuard

/// Knows how far down the current thread's stack may grow, so deep evaluation can stop cleanly
/// instead of crashing, whatever the thread's stack size (512 KiB worker threads included) and
/// whether the code was built with or without optimisation.
enum StackGuard {
    /// The lowest address evaluation frames may reach on this thread, or nil when unknown.
    ///
    /// A quarter of the stack (between 32 KiB and 128 KiB) is kept free for message building and
    /// library calls below the deepest evaluation frame.
    static func currentLimit() -> UInt? {
        guard let (low, size) = stackBounds() else { return nil }
        let margin = min(max(size / 4, 32 << 10), 128 << 10)
        guard size > margin * 2 else { return nil }
        return low + margin
    }

    /// The address of a local in the caller's frame (the stack grows down on supported platforms).
    @inline(never)
    static func currentAddress() -> UInt {
        var marker: UInt8 = 0
        return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
    }

    #if canImport(Glibc)
        /// The C signature of `pthread_getattr_np`.
        private typealias GetAttributes = @convention(c) (pthread_t, UnsafeMutablePointer<pthread_attr_t>) -> Int32

        /// `pthread_getattr_np`, found once by name in the running process.
        private static let linuxGetAttributes: GetAttributes? = {
            guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "pthread_getattr_np") else { return nil }
            return unsafeBitCast(symbol, to: GetAttributes.self)
        }()
    #endif

    /// Lowest address and size of the current thread's stack.
    private static func stackBounds() -> (UInt, UInt)? {
        #if canImport(Darwin)
            let thread = pthread_self()
            let top = UInt(bitPattern: pthread_get_stackaddr_np(thread))
            let size = UInt(pthread_get_stacksize_np(thread))
            guard top > size else { return nil }
            return (top - size, size)
        #elseif canImport(Glibc)
            // pthread_getattr_np is a GNU extension the Glibc module does not import; look it up instead.
            guard let getAttributes = linuxGetAttributes else { return nil }
            var attributes = pthread_attr_t()
            guard getAttributes(pthread_self(), &attributes) == 0 else { return nil }
            defer { pthread_attr_destroy(&attributes) }
            var address: UnsafeMutableRawPointer?
            var size = 0
            guard pthread_attr_getstack(&attributes, &address, &size) == 0, let address else { return nil }
            return (UInt(bitPattern: address), UInt(size))
        #else
            return nil
        #endif
    }
}
