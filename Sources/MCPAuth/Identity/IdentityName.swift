/// The names the identity graph accepts for organizations, teams and users: 1 to 64
/// characters of letters, digits and `.`, `_`, `-`, `@`, `+`, starting with a letter or
/// digit, so that a name is safe in a token, a policy, a log line and a URL.
enum IdentityName {
    static func check(_ name: String, _ what: String) throws(AuthError) {
        let scalars = name.unicodeScalars
        guard (1...64).contains(scalars.count), let first = scalars.first,
            isAlphanumeric(first),
            scalars.allSatisfy({ isAlphanumeric($0) || ".-_@+".unicodeScalars.contains($0) })
        else {
            throw AuthError(
                .invalidValue,
                "\(what) names are 1 to 64 letters, digits or . _ - @ +, starting with a letter or digit")
        }
    }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar))
    }
}
