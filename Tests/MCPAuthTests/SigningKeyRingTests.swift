import Foundation
import MCPCrypto
import MCPStore
import Testing

@testable import MCPAuth

/// Signing keys at rest: sealed with the master key, rotated with the old key still
/// published for its tokens, and refused (never loaded as garbage) when altered or opened
/// with another master key.
@Suite("Signing keys")
struct SigningKeyRingTests {
    let time = TestClock()
    let master = try! MasterKey(bytes: [UInt8](repeating: 9, count: 32))

    func temporaryStore() throws -> (String, AuthStore) {
        let path = NSTemporaryDirectory() + "auth-keys-\(UUID().uuidString).sqlite"
        return (path, try AuthStore(path: path))
    }

    @Test func rotationKeepsTheReplacedKeyPublishedForItsTokens() throws {
        let (path, store) = try temporaryStore()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let ring = try SigningKeyRing(store: store, masterKey: master, retention: 3600, clock: time.clock)
        let first = ring.current.keyID
        #expect(try !ring.rotateIfOlder(than: 100))
        time.advance(by: 100)
        #expect(try ring.rotateIfOlder(than: 100))
        let second = ring.current.keyID
        #expect(first != second)
        #expect(ring.publicKey(first) != nil, "the replaced key still verifies its tokens")
        #expect(Set(ring.keySet.keys.map(\.keyID)) == [first, second])
        // Reopened later: the current key is the newest, and the old one is gone after retention.
        time.advance(by: 3601)
        let reopened = try SigningKeyRing(store: try AuthStore(path: path), masterKey: master, clock: time.clock)
        #expect(reopened.current.keyID == second)
        #expect(reopened.publicKey(first) == nil)
    }

    @Test func anAlteredKeyOrAnotherMasterKeyIsRefused() throws {
        let (path, store) = try temporaryStore()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let ring = try SigningKeyRing(store: store, masterKey: master, clock: time.clock)
        let keyID = ring.current.keyID
        let other = try MasterKey(bytes: [UInt8](repeating: 8, count: 32))
        #expect(throws: AuthError(.tamperedSecret, "")) {
            try SigningKeyRing(store: try AuthStore(path: path), masterKey: other, clock: time.clock)
        }
        // Flip one byte of the sealed key in the file.
        let database = try Database(configuration: DatabaseConfiguration(.file(path)))
        try database.write { db in
            var sealed: [UInt8] = try db.query(
                sql: "SELECT sealed FROM signing_keys WHERE kid = ?", arguments: [keyID])[0]
                .value(at: 0)
            sealed[20] ^= 0x01
            try db.execute(sql: "UPDATE signing_keys SET sealed = ? WHERE kid = ?", arguments: [sealed, keyID])
        }
        #expect(throws: AuthError(.tamperedSecret, "")) {
            try SigningKeyRing(store: try AuthStore(path: path), masterKey: master, clock: time.clock)
        }
    }

    @Test func resealingMovesTheKeysToANewMasterKey() throws {
        let (path, store) = try temporaryStore()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let ring = try SigningKeyRing(store: store, masterKey: master, clock: time.clock)
        let keyID = ring.current.keyID
        let next = try MasterKey(bytes: [UInt8](repeating: 3, count: 32))
        #expect(try ring.reseal(with: next) == 1)
        let reopened = try SigningKeyRing(store: try AuthStore(path: path), masterKey: next, clock: time.clock)
        #expect(reopened.current.keyID == keyID)
        #expect(throws: AuthError(.tamperedSecret, "")) {
            try SigningKeyRing(store: try AuthStore(path: path), masterKey: master, clock: time.clock)
        }
    }

    @Test func masterKeysAreReadInEveryDocumentedForm() throws {
        let bytes = (0..<32).map { UInt8($0) }
        let hex = try MasterKey(encoded: Array((Hexadecimal.encode(bytes) + "\n").utf8))
        let base64 = try MasterKey(encoded: Array(Base64.encode(bytes).utf8))
        let raw = try MasterKey(encoded: bytes)
        #expect(hex.keyID == base64.keyID && base64.keyID == raw.keyID)
        #expect(throws: AuthError(.invalidMasterKey, "")) { try MasterKey(encoded: Array("too short".utf8)) }
        #expect(!"\(hex)".contains(Hexadecimal.encode(bytes)), "the description never shows the key")
        // A key file others can read is refused.
        let path = NSTemporaryDirectory() + "master-\(UUID().uuidString).key"
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try MasterKey.create(atPath: path)
        #expect(try MasterKey(contentsOfFile: path).keyID.count == 16)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(throws: AuthError(.invalidMasterKey, "")) { try MasterKey(contentsOfFile: path) }
    }
}
