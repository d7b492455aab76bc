/// The state of a task (2025-11-25).
public struct TaskStatus: MCPStringValue {
    /// The wire text.
    public let rawValue: String
    /// Creates a value from its wire text.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `working`: running.
    public static let working = TaskStatus(rawValue: "working")
    /// `input_required`: waiting for the requester to answer a request of the receiver.
    public static let inputRequired = TaskStatus(rawValue: "input_required")
    /// `completed`: finished; `tasks/result` returns the result.
    public static let completed = TaskStatus(rawValue: "completed")
    /// `failed`: finished with an error.
    public static let failed = TaskStatus(rawValue: "failed")
    /// `cancelled`: stopped by `tasks/cancel`.
    public static let cancelled = TaskStatus(rawValue: "cancelled")

    /// Whether the task has ended (`completed`, `failed` or `cancelled`).
    public var isTerminal: Bool { self == .completed || self == .failed || self == .cancelled }
}

/// A task: a request that runs on after its response, polled with `tasks/get` and
/// collected with `tasks/result` (2025-11-25; the schema's `Task`).
public struct MCPTask: Codable, Sendable, Hashable {
    /// The task's id, chosen by the receiver.
    public var taskId: String
    /// Its state.
    public var status: TaskStatus
    /// A description of the state, for people.
    public var statusMessage: String?
    /// When it was created, as an ISO 8601 timestamp.
    public var createdAt: String
    /// When it last changed, as an ISO 8601 timestamp.
    public var lastUpdatedAt: String
    /// How long after creation, in milliseconds, it is kept; `nil` (written `null`) for
    /// unlimited.
    public var ttl: Int?
    /// The suggested interval between `tasks/get` polls, in milliseconds.
    public var pollInterval: Int?

    private enum CodingKeys: String, CodingKey {
        case taskId, status, statusMessage, createdAt, lastUpdatedAt, ttl, pollInterval
    }

    /// Creates a task description.
    public init(
        taskId: String, status: TaskStatus, statusMessage: String? = nil, createdAt: String, lastUpdatedAt: String,
        ttl: Int?, pollInterval: Int? = nil
    ) {
        self.taskId = taskId
        self.status = status
        self.statusMessage = statusMessage
        self.createdAt = createdAt
        self.lastUpdatedAt = lastUpdatedAt
        self.ttl = ttl
        self.pollInterval = pollInterval
    }

    /// Encodes the task; `ttl` is always written, as `null` when unlimited.
    ///
    /// - Parameter encoder: the encoder.
    /// - Throws: any error of the encoder.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(taskId, forKey: .taskId)
        try container.encode(status, forKey: .status)
        try container.encodeIfPresent(statusMessage, forKey: .statusMessage)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(lastUpdatedAt, forKey: .lastUpdatedAt)
        if let ttl {
            try container.encode(ttl, forKey: .ttl)
        } else {
            try container.encodeNil(forKey: .ttl)
        }
        try container.encodeIfPresent(pollInterval, forKey: .pollInterval)
    }
}

/// The `task` member of a task-augmented request (2025-11-25).
public struct TaskMetadata: Codable, Sendable, Hashable {
    /// How long, in milliseconds, the requester wants the task kept.
    public var ttl: Int?

    /// Creates the metadata.
    public init(ttl: Int? = nil) {
        self.ttl = ttl
    }
}

/// The value of ``MCPMetaKey/relatedTask``: the task a message belongs to (2025-11-25).
public struct RelatedTaskMetadata: Codable, Sendable, Hashable {
    /// The task's id.
    public var taskId: String

    /// Creates the metadata.
    public init(taskId: String) {
        self.taskId = taskId
    }
}

/// The answer to a task-augmented request: the task that was created (2025-11-25).
public struct CreateTaskResult: MCPResult, MCPMetaCarrying {
    /// The task.
    public var task: MCPTask
    /// The `_meta` object.
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case task
        case meta = "_meta"
    }

    /// Creates the result.
    public init(task: MCPTask, meta: JSONObject? = nil) {
        self.task = task
        self.meta = meta
    }
}

/// Parameters naming one task: `tasks/get`, `tasks/result`, `tasks/cancel`.
public struct TaskRequestParams: Codable, Sendable, Hashable, MCPMetaCarrying {
    /// The task's id.
    public var taskId: String
    /// The `_meta` object.
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case meta = "_meta"
        case taskId
    }

    /// Creates the parameters.
    public init(taskId: String, meta: JSONObject? = nil) {
        self.taskId = taskId
        self.meta = meta
    }
}

/// A task's state with `_meta`, its members side by side in one object: the result of
/// `tasks/get` and `tasks/cancel` and the parameters of `notifications/tasks/status`.
public struct TaskState: MCPResult, MCPMetaCarrying {
    /// The task.
    public var task: MCPTask
    /// The `_meta` object.
    public var meta: JSONObject?

    private enum MetaKeys: String, CodingKey {
        case meta = "_meta"
    }

    /// Creates the state.
    public init(task: MCPTask, meta: JSONObject? = nil) {
        self.task = task
        self.meta = meta
    }

    /// Decodes the task's members and `_meta` from one object.
    ///
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` for a malformed task.
    public init(from decoder: any Decoder) throws {
        task = try MCPTask(from: decoder)
        meta = try decoder.container(keyedBy: MetaKeys.self).decodeIfPresent(JSONObject.self, forKey: .meta)
    }

    /// Encodes the task's members, then `_meta`, in one object.
    ///
    /// - Parameter encoder: the encoder.
    /// - Throws: any error of the encoder.
    public func encode(to encoder: any Encoder) throws {
        try task.encode(to: encoder)
        var container = encoder.container(keyedBy: MetaKeys.self)
        try container.encodeIfPresent(meta, forKey: .meta)
    }
}

/// `tasks/get`: a task's state (2025-11-25).
public enum GetTask: MCPMethod {
    /// `tasks/get`.
    public static let name = "tasks/get"
    /// The task.
    public typealias Params = TaskRequestParams
    /// Its state.
    public typealias Result = TaskState
}

/// `tasks/cancel`: stops a task (2025-11-25).
public enum CancelTask: MCPMethod {
    /// `tasks/cancel`.
    public static let name = "tasks/cancel"
    /// The task.
    public typealias Params = TaskRequestParams
    /// Its state after cancelling.
    public typealias Result = TaskState
}

/// `tasks/result`: the result of a finished task, which is the result of the request
/// that created it (2025-11-25).
public enum GetTaskPayload: MCPMethod {
    /// `tasks/result`.
    public static let name = "tasks/result"
    /// The task.
    public typealias Params = TaskRequestParams
    /// The original request's result.
    public typealias Result = TaskPayloadResult
}

/// The result of `tasks/result`: the result of the task's original request, as written.
public struct TaskPayloadResult: MCPResult {
    /// The result object.
    public var payload: JSONObject

    /// Creates the result.
    ///
    /// - Parameter payload: the original request's result object.
    public init(payload: JSONObject) {
        self.payload = payload
    }

    /// Creates the result from a typed result of the original request.
    ///
    /// - Parameter result: for example a ``CallToolResult``.
    /// - Throws: `EncodingError` for a value JSON cannot express, or
    ///   `EncodingError.invalidValue` when the result is not an object.
    public init(_ result: some Encodable) throws {
        let value = try JSONValueEncoder().encode(result)
        guard case .object(let object) = value else {
            throw EncodingError.invalidValue(
                result, EncodingError.Context(codingPath: [], debugDescription: "A result must be an object."))
        }
        payload = object
    }

    /// The payload decoded as the result type of the original request.
    ///
    /// - Parameter type: for example `CallToolResult.self`.
    /// - Returns: the typed result.
    /// - Throws: `DecodingError` when the payload does not decode as `type`.
    public func decode<T: Decodable>(as type: T.Type) throws -> T {
        try JSONValueDecoder().decode(type, from: .object(payload))
    }

    /// Decodes the result object.
    ///
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError.typeMismatch` when the result is not an object.
    public init(from decoder: any Decoder) throws {
        payload = try JSONObject(from: decoder)
    }

    /// Encodes the result object as it is.
    ///
    /// - Parameter encoder: the encoder.
    /// - Throws: any error of the encoder.
    public func encode(to encoder: any Encoder) throws {
        try payload.encode(to: encoder)
    }
}

/// `tasks/list`: a page of the receiver's tasks (2025-11-25).
public enum ListTasks: MCPMethod {
    /// `tasks/list`.
    public static let name = "tasks/list"
    /// Optional; a cursor.
    public typealias Params = PaginatedRequestParams?
    /// The page.
    public typealias Result = ListTasksResult
}

/// The result of `tasks/list`.
public struct ListTasksResult: MCPResult, MCPMetaCarrying {
    /// The tasks of this page.
    public var tasks: [MCPTask]
    /// The cursor of the next page, or `nil` on the last page.
    public var nextCursor: String?
    /// The `_meta` object.
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case tasks, nextCursor
        case meta = "_meta"
    }

    /// Creates a page of tasks.
    public init(tasks: [MCPTask], nextCursor: String? = nil, meta: JSONObject? = nil) {
        self.tasks = tasks
        self.nextCursor = nextCursor
        self.meta = meta
    }
}

/// `notifications/tasks/status`: a task's state changed (2025-11-25).
public enum TaskStatusNotification: MCPNotification {
    /// `notifications/tasks/status`.
    public static let name = "notifications/tasks/status"
    /// The task's new state.
    public typealias Params = TaskState
}
