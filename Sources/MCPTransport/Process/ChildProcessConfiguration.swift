/// How to start a child process that speaks MCP over its standard input and output.
public struct ChildProcessConfiguration: Sendable, Hashable {
    /// The program: a path, or a name looked up in `PATH`.
    public var executable: String
    /// The arguments, without the program name.
    public var arguments: [String]
    /// The environment; `nil` inherits the gateway's.
    public var environment: [String: String]?
    /// The working directory; `nil` inherits the gateway's.
    public var workingDirectory: String?
    /// The bytes of standard output buffered for a slow reader before the child is made to
    /// wait (by not reading its pipe).
    public var outputBufferLimit: Int
    /// The longest standard error line kept; longer lines are cut and marked.
    public var maxErrorLineBytes: Int
    /// How many recent standard error lines are kept for diagnostics.
    public var retainedErrorLines: Int

    /// Creates a configuration.
    ///
    /// - Parameters:
    ///   - executable: a path, or a name looked up in `PATH`.
    ///   - arguments: the arguments.
    ///   - environment: the environment, or `nil` to inherit.
    ///   - workingDirectory: the working directory, or `nil` to inherit.
    ///   - outputBufferLimit: standard output buffered for a slow reader (default 1 MiB).
    ///   - maxErrorLineBytes: the longest standard error line kept (default 4 KiB).
    ///   - retainedErrorLines: recent standard error lines kept (default 50).
    public init(
        executable: String,
        arguments: [String] = [],
        environment: [String: String]? = nil,
        workingDirectory: String? = nil,
        outputBufferLimit: Int = 1 << 20,
        maxErrorLineBytes: Int = 4096,
        retainedErrorLines: Int = 50
    ) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.outputBufferLimit = outputBufferLimit
        self.maxErrorLineBytes = maxErrorLineBytes
        self.retainedErrorLines = retainedErrorLines
    }
}

/// How a child process ended.
public enum ChildProcessExit: Sendable, Hashable, CustomStringConvertible {
    /// It called `exit` with this status.
    case exited(CInt)
    /// A signal ended it.
    case signaled(CInt)

    /// `exit 0` or `signal 9`.
    public var description: String {
        switch self {
        case .exited(let status): "exit \(status)"
        case .signaled(let signal): "signal \(signal)"
        }
    }
}
