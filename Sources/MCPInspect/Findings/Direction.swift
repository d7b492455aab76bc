/// Which bytes are being inspected, so that each detector can act differently on each.
public enum Direction: String, Sendable, Hashable, CaseIterable {
    /// The arguments of a call, on their way to a server.
    case request
    /// A result, on its way back to the client.
    case result
    /// A tool definition (and server instructions) from a server's tool list.
    case toolDefinition
}

/// What the gateway does when a detector matches.
public enum InspectionAction: Sendable, Hashable, CustomStringConvertible {
    /// Report the finding; the bytes pass unchanged.
    case flag
    /// Replace the match by `[REDACTED:<detector>]` before the bytes leave.
    case redact
    /// Refuse the whole message; needs the message buffered (see ``BlockingScan``).
    case block
    /// Add the label to the session's taints (see ``FlowTracker``); the bytes pass.
    case taint(String)

    /// `flag`, `redact`, `block` or `taint:<label>`.
    public var description: String {
        switch self {
        case .flag: "flag"
        case .redact: "redact"
        case .block: "block"
        case .taint(let label): "taint:\(label)"
        }
    }
}
