/// Names one detector of the scanner, such as `aws-access-key-id` or `email`.
///
/// The name is stable: it appears in findings, in redaction placeholders
/// (`[REDACTED:aws-access-key-id]`) and in configuration files.
public struct DetectorID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The stable name, such as `github-token`.
    public let name: String
    /// The position in ``all``, used to index per-detector tables.
    let index: Int

    private init(_ index: Int, _ name: String) {
        self.index = index
        self.name = name
    }

    /// Looks a detector up by its stable name.
    ///
    /// - Parameter name: A name such as `email`.
    /// - Returns: The detector, or `nil` when no detector has that name.
    public init?(name: String) {
        guard let found = DetectorID.all.first(where: { $0.name == name }) else { return nil }
        self = found
    }

    /// The detector's name.
    public var description: String { name }

    /// What the detector looks for.
    public var category: DetectorCategory {
        switch index {
        case 0...13: .secret
        case 14...18: .personalData
        default: .poisoning
        }
    }

    /// Orders detectors by their position in ``all``.
    ///
    /// - Parameters:
    ///   - lhs: A detector.
    ///   - rhs: Another detector.
    /// - Returns: Whether `lhs` comes first.
    public static func < (lhs: DetectorID, rhs: DetectorID) -> Bool { lhs.index < rhs.index }

    /// AWS access key ids (`AKIA`, `ASIA`, ... and 16 more characters).
    public static let awsAccessKeyID = DetectorID(0, "aws-access-key-id")
    /// AWS secret access keys: 40 characters after a `secret_access_key` keyword.
    public static let awsSecretAccessKey = DetectorID(1, "aws-secret-access-key")
    /// GitHub tokens (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`).
    public static let githubToken = DetectorID(2, "github-token")
    /// GitLab personal access tokens (`glpat-`).
    public static let gitlabToken = DetectorID(3, "gitlab-token")
    /// Slack tokens (`xoxb-`, `xoxp-`, `xoxa-`, `xoxr-`, `xoxs-`).
    public static let slackToken = DetectorID(4, "slack-token")
    /// Stripe secret and restricted keys (`sk_live_`, `rk_live_`, `sk_test_`, `rk_test_`).
    public static let stripeKey = DetectorID(5, "stripe-key")
    /// Google API keys (`AIza` and 35 more characters).
    public static let googleAPIKey = DetectorID(6, "google-api-key")
    /// OpenAI API keys (`sk-`, `sk-proj-`, ... with at least 32 more characters).
    public static let openAIKey = DetectorID(7, "openai-api-key")
    /// Anthropic API keys (`sk-ant-`).
    public static let anthropicKey = DetectorID(8, "anthropic-api-key")
    /// PEM private keys, from `-----BEGIN ... PRIVATE KEY-----` to the matching END line.
    public static let privateKey = DetectorID(9, "private-key")
    /// JSON Web Tokens (`eyJ...` header and payload, optional signature).
    public static let jwt = DetectorID(10, "jwt")
    /// High-entropy values assigned to keywords such as `password`, `secret`, `token`.
    public static let genericSecret = DetectorID(11, "generic-secret")
    /// `Bearer` credentials in text, such as a copied `Authorization` header.
    public static let bearerToken = DetectorID(12, "bearer-token")
    /// Tokens the gateway itself holds (see ``HeldTokens``), matched exactly.
    public static let heldToken = DetectorID(13, "held-token")
    /// E-mail addresses.
    public static let email = DetectorID(14, "email")
    /// Phone numbers in international (`+` country code) or North American format.
    public static let phoneNumber = DetectorID(15, "phone-number")
    /// Payment card numbers of known issuers that pass the Luhn check.
    public static let cardNumber = DetectorID(16, "card-number")
    /// IBANs that pass the mod-97 check.
    public static let iban = DetectorID(17, "iban")
    /// US social security numbers (`ddd-dd-dddd`) outside the ranges never issued.
    public static let usSSN = DetectorID(18, "us-ssn")
    /// Tags that address the model, such as `<IMPORTANT>` or `<SYSTEM>`.
    public static let instructionTag = DetectorID(19, "instruction-tag")
    /// Phrases that address the model, such as "ignore previous" or "do not tell".
    public static let instructionPhrase = DetectorID(20, "instruction-phrase")
    /// Paths of secrets, such as `~/.ssh`, `id_rsa`, `.env` or `mcp.json`.
    public static let secretPath = DetectorID(21, "secret-path")
    /// Invisible Unicode: tag characters (outside emoji flags), zero-width, bidi
    /// controls and private-use characters.
    public static let invisibleUnicode = DetectorID(22, "invisible-unicode")
    /// ANSI escape sequences and C0/C1 control characters other than tab, CR and LF.
    public static let controlCharacter = DetectorID(23, "control-character")
    /// Markdown images and links whose URL carries data or leaves the allowed domains.
    public static let markdownExfiltration = DetectorID(24, "markdown-exfiltration")
    /// Long base64 runs.
    public static let base64Blob = DetectorID(25, "base64-blob")
    /// Mentions of another server's tools (tool definitions only).
    public static let toolMention = DetectorID(26, "tool-mention")
    /// Parameters of a tool definition whose names ask for side channels (`sidenote`).
    public static let suspiciousParameter = DetectorID(27, "suspicious-parameter")
    /// Hidden text in a tool definition: HTML comments or long whitespace padding.
    public static let hiddenText = DetectorID(28, "hidden-text")

    /// A pinned tool whose definition (or its server's instructions) changed: a rug pull.
    public static let toolChanged = DetectorID(29, "tool-changed")
    /// A tool name offered by more than one server: shadowing.
    public static let toolShadowing = DetectorID(30, "tool-shadowing")

    /// Every detector, in index order.
    public static let all: [DetectorID] = [
        awsAccessKeyID, awsSecretAccessKey, githubToken, gitlabToken, slackToken, stripeKey,
        googleAPIKey, openAIKey, anthropicKey, privateKey, jwt, genericSecret, bearerToken,
        heldToken, email, phoneNumber, cardNumber, iban, usSSN, instructionTag,
        instructionPhrase, secretPath, invisibleUnicode, controlCharacter,
        markdownExfiltration, base64Blob, toolMention, suspiciousParameter, hiddenText, toolChanged, toolShadowing,
    ]
}

/// The broad kind of thing a detector looks for.
public enum DetectorCategory: String, Sendable, Hashable, CaseIterable {
    /// Credentials and keys.
    case secret
    /// Personal data (PII).
    case personalData
    /// Signs of prompt injection, hidden content or exfiltration.
    case poisoning
}
