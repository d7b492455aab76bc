#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Musl)
    internal import Musl
#elseif canImport(Darwin)
    internal import Darwin
#endif

extension DatabaseConfiguration.Location {
    /// The filename to hand to `sqlite3_open_v2`, after checking that a file's directory
    /// exists (the store never creates directories).
    ///
    /// - Returns: the file's path, or `:memory:`.
    /// - Throws: ``StoreError`` with ``StoreError/Code/cannotOpen`` when the path is empty
    ///   or its directory does not exist.
    func openPath() throws(StoreError) -> String {
        switch self {
        case .inMemory:
            return ":memory:"
        case .file(let path):
            guard !path.isEmpty else {
                throw StoreError(.cannotOpen, message: "the database path is empty")
            }
            let directory = Self.directory(of: path)
            guard Self.isDirectory(directory) else {
                throw StoreError(
                    .cannotOpen,
                    message: "cannot open \(path): the directory \(directory) does not exist or is not a directory"
                )
            }
            return path
        }
    }

    /// The directory part of a path: everything before the last `/`, `/` for a file at the
    /// root, `.` for a bare name.
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let directory = path[..<slash]
        return directory.isEmpty ? "/" : String(directory)
    }

    private static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        guard stat(path, &status) == 0 else { return false }
        return status.st_mode & S_IFMT == S_IFDIR
    }
}
