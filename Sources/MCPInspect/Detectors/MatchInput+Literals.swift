/// The literals the validators compare, built once.
extension MatchInput {
    static let awsPrefixes: [StaticString] = [
        "AKIA", "ASIA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA", "ABIA", "ACCA", "APKA",
    ]
    static let keywordsEndingInD: [StaticString] = ["password", "passwd", "pwd"]
    static let keywordsEndingInT: [StaticString] = ["secret"]
    static let keywordsEndingInN: [StaticString] = ["token"]
    static let keywordsEndingInY: [StaticString] = [
        "apikey", "api_key", "api-key", "secret_key", "access_key", "private_key",
    ]
    static let keywordsEndingInL: [StaticString] = ["credential"]
    static let overrideVerbs: [StaticString] = ["ignore", "forget", "disregard"]
    static let fillerWords: [StaticString] = ["all", "any", "the", "your"]
    static let priorWords: [StaticString] = ["previous", "prior", "above", "earlier", "preceding", "instructions"]
    static let negations: [StaticString] = ["do not", "don't", "dont", "don\u{2019}t"]
    static let concealVerbs: [StaticString] = ["tell", "mention", "inform", "notify", "reveal", "alert", "show"]
    static let homeSecretDirectories: [StaticString] = [
        "ssh", "aws", "gnupg", "netrc", "kube", "docker", "npmrc", "pgpass", "git-credentials", "env",
    ]
    static let dotSecretFiles: [StaticString] = [".ssh", ".netrc", ".npmrc", ".pgpass", ".git-credentials"]
    static let keyFiles: [StaticString] = ["id_rsa", "id_ed25519", "id_ecdsa", "id_dsa"]
    static let mcpConfigFiles: [StaticString] = ["mcp.json"]
    static let instructionTagNames: [StaticString] = [
        "important", "system", "instructions", "instruction", "system-prompt", "system_prompt", "hidden", "secret",
    ]
}
