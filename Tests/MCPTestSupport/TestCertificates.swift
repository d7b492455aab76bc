package import Foundation

/// A test certificate authority and a server certificate for 127.0.0.1, made by the Python
/// `cryptography` package (`Tests/Peers/make_certificate.py`) in a fresh directory.
package struct TestCertificates: Sendable {
    /// The directory holding the files; the caller removes it.
    package let directory: String
    /// The authority's certificate, for clients to trust.
    package var authority: String { directory + "/ca.pem" }
    /// The server's certificate chain.
    package var chain: String { directory + "/server.pem" }
    /// The server's private key.
    package var key: String { directory + "/server.key" }

    /// Makes a fresh authority and server certificate.
    package static func make() async throws -> TestCertificates {
        let directory = NSTemporaryDirectory() + "tls-\(UUID().uuidString)"
        let (output, status) = try await runCommand(
            TestPeers.python, [TestPeers.script("make_certificate.py"), directory])
        guard status == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "make_certificate.py: \(output)"])
        }
        return TestCertificates(directory: directory)
    }
}
