import MCPCrypto
import Testing

@Suite("Signing key protocols and concurrency")
struct SigningKeyTests {
    @Test("P-256 and Ed25519 keys work through the protocols")
    func existentials() throws {
        let keys: [any SigningKey] = [try P256.PrivateKey(), try Ed25519.PrivateKey()]
        let message = utf8("a JWS signing input")
        for key in keys {
            let signature = try key.signature(for: message)
            #expect(signature.count == 64)
            let verifier: any VerifyingKey = key.publicKey
            #expect(verifier.algorithm == key.algorithm)
            #expect(verifier.isValidSignature(signature, for: message))
            #expect(!verifier.isValidSignature(signature, for: message.dropLast()))
        }
        #expect(keys.map(\.algorithm.joseName) == ["ES256", "EdDSA"])
    }

    @Test("algorithm names")
    func algorithms() {
        #expect(SignatureAlgorithm.ecdsaP256SHA256.description == "ES256")
        #expect(SignatureAlgorithm(joseName: "EdDSA") == .ed25519)
        #expect(SignatureAlgorithm(joseName: "RS256") != .ecdsaP256SHA256)
    }

    /// Signs and verifies `rounds` times from `tasks` concurrent tasks with one key.
    static func hammer(_ key: some SigningKey, tasks: Int, rounds: Int) async -> Int {
        await withTaskGroup(of: Int.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    var valid = 0
                    for round in 0..<rounds {
                        let message = utf8("task \(task) round \(round)")
                        guard let signature = try? key.signature(for: message) else {
                            continue
                        }
                        if key.publicKey.isValidSignature(signature, for: message),
                            !key.publicKey.isValidSignature(signature, for: message + [0])
                        {
                            valid += 1
                        }
                    }
                    return valid
                }
            }
            return await group.reduce(0, +)
        }
    }

    @Test("one P-256 key signs and verifies from many tasks at once")
    func concurrentP256() async throws {
        let key = try P256.PrivateKey()
        #expect(await Self.hammer(key, tasks: 16, rounds: 25) == 16 * 25)
    }

    @Test("one Ed25519 key signs and verifies from many tasks at once")
    func concurrentEd25519() async throws {
        let key = try Ed25519.PrivateKey()
        #expect(await Self.hammer(key, tasks: 16, rounds: 25) == 16 * 25)
    }

    @Test("hashers and keys shared across tasks")
    func concurrentHashing() async throws {
        let key = try SymmetricKey()
        var shared = SHA256()
        shared.update(utf8("prefix"))
        let prefix = shared
        let results = await withTaskGroup(of: Bool.self) { group in
            for task in 0..<16 {
                group.addTask {
                    var hasher = prefix
                    hasher.update(utf8("\(task)"))
                    let expected = SHA256.hash(utf8("prefix\(task)"))
                    let code = HMAC.authenticationCode(for: expected, using: key)
                    return hasher.finalize() == expected
                        && HMAC.isValidAuthenticationCode(
                            code, authenticating: expected, using: key)
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 16)
        #expect(results.allSatisfy { $0 })
        #expect(prefix.finalize() == SHA256.hash(utf8("prefix")))
    }
}
