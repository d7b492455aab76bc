import Foundation
import MCPCore
import MCPTestSupport
import Testing

@testable import MCPTransport

/// HTTPS: the server with a certificate chain and key (made by the Python `cryptography`
/// package), checked by curl and by the libcurl client against the test authority.
@Suite("HTTPS server")
struct TLSServerTests {
    @Test func curlAndTheClientTalkToTheServerOverTLS() async throws {
        let files = try await TestCertificates.make()
        defer { try? FileManager.default.removeItem(atPath: files.directory) }
        let configuration = HTTPServerConfiguration(
            tls: TLSConfiguration(certificateChainFile: files.chain, privateKeyFile: files.key))
        try await HTTPServerTests.withServer(configuration) { port, _ in
            let base = "https://127.0.0.1:\(port)"
            // curl, trusting the test authority, over one kept-alive connection.
            let (output, status) = try await runCommand(
                "/usr/bin/curl",
                [
                    "-s", "--max-time", "10", "--cacert", files.authority, "-w", "|%{num_connects}\n", "\(base)/a?x=1",
                    "--next",
                    "-s", "--cacert", files.authority, "-w", "|%{num_connects}\n", "-d", "hello=world", "\(base)/b",
                ])
            #expect(status == 0, "\(output)")
            #expect(output.contains("GET /a?x=1 0\n|1"), "\(output)")
            #expect(output.contains("POST /b 11\nhello=world|0"), "one TLS connection for both: \(output)")

            // Without trusting the authority, curl refuses the certificate.
            let (_, untrusted) = try await runCommand("/usr/bin/curl", ["-s", "--max-time", "10", "\(base)/a"])
            #expect(untrusted != 0)

            // The libcurl client, with a body larger than one TLS record both ways.
            let client = try HTTPClient(configuration: .init(caCertificateFile: files.authority))
            defer { client.shutdown() }
            let body = [UInt8]((0..<200_000).map { UInt8(ascii: "a") + UInt8($0 % 26) })
            let response = try await client.execute(
                HTTPClientRequest(
                    method: "POST", url: base + "/large", headers: [("Content-Type", "text/plain")], body: body))
            #expect(response.status == 200)
            let answer = try await response.collectBody()
            #expect(answer.count == "POST /large 200000\n".utf8.count + body.count)
            #expect(Array(answer.suffix(body.count)) == body)

            // Plain HTTP to the TLS port gets no answer, and the server keeps serving.
            let (_, plain) = try await runCommand(
                "/usr/bin/curl", ["-s", "--max-time", "5", "http://127.0.0.1:\(port)/a"])
            #expect(plain != 0)
            let (again, againStatus) = try await runCommand(
                "/usr/bin/curl", ["-s", "--max-time", "10", "--cacert", files.authority, "\(base)/again"])
            #expect(againStatus == 0 && again.hasPrefix("GET /again 0"), "\(again)")
        }
    }

    @Test func aBadKeyOrCertificateStopsTheServerFromStarting() async throws {
        let files = try await TestCertificates.make()
        defer { try? FileManager.default.removeItem(atPath: files.directory) }
        let other = try await TestCertificates.make()
        defer { try? FileManager.default.removeItem(atPath: other.directory) }
        for (chain, key, expected) in [
            (files.chain, other.key, "key values mismatch"),
            (files.directory + "/missing.pem", files.key, "certificate file"),
            (files.chain, files.authority, "private key file"),
        ] {
            let server = HTTPServer(
                configuration: HTTPServerConfiguration(
                    tls: TLSConfiguration(certificateChainFile: chain, privateKeyFile: key)),
                responder: HTTPServerTests.responder)
            do {
                try await server.run()
                Issue.record("the server started with \(chain) and \(key)")
            } catch let error as TLSError {
                #expect(error.message.contains(expected), "\(error)")
            }
        }
    }
}
