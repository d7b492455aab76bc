import Foundation
import MCPStore
import Testing

/// A directory under the system's temporary directory, removed with everything in it when
/// released.
final class TemporaryDirectory: Sendable {
    let path: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.path
        path = base + "/mcpstore-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The path of a file in the directory.
    func file(_ name: String) -> String {
        path + "/" + name
    }

    /// The configuration of a database file in the directory, with a short busy timeout so
    /// that a lock held by mistake fails a test quickly.
    func configuration(
        _ name: String = "test.sqlite",
        isReadOnly: Bool = false,
        busyTimeout: Duration = .seconds(2),
        statementCacheCapacity: Int = 64
    ) -> DatabaseConfiguration {
        DatabaseConfiguration(
            .file(file(name)),
            isReadOnly: isReadOnly,
            busyTimeout: busyTimeout,
            statementCacheCapacity: statementCacheCapacity
        )
    }

    /// The size of a file in the directory, or `nil` when it does not exist.
    func size(of name: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: file(name)))?[.size] as? Int
    }
}

/// An error a test throws to make a transaction roll back.
struct Abort: Error, Equatable {}

/// Checks that `body` throws a ``StoreError`` with `code`, and returns that error.
///
/// A plain function rather than `#expect(throws:)`: with Swift 6.3.1 that macro, used inside
/// a closure that contains further closures, can make the compiler run the wrong closure
/// body (or crash).
@discardableResult
func expectStoreError<Result>(
    _ code: StoreError.Code,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Result
) -> StoreError? {
    do {
        _ = try body()
        Issue.record("expected a StoreError with code \(code), but nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as StoreError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected a StoreError with code \(code), got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// Checks that `body` throws ``Abort``, as `expectStoreError` does for store errors.
func expectAbort<Result>(sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Result) {
    do {
        _ = try body()
        Issue.record("expected Abort, but nothing was thrown", sourceLocation: sourceLocation)
    } catch is Abort {
        return
    } catch {
        Issue.record("expected Abort, got \(error)", sourceLocation: sourceLocation)
    }
}
