/// The gateway's version.
public enum GatewayVersion {
    /// The version of this build.
    public static let current = "0.1.0"
}
