import MCPCore

/// One condition on a call's arguments: a path and an operator. With `[*]` in the path,
/// the condition holds when any reached value satisfies it (`absent`: when none exists).
struct ArgumentCondition: Sendable {
    enum Operator: Sendable {
        case equals(JSONValue)
        case oneOf([JSONValue])
        case prefix(String)
        case regex(BoundedRegex)
        case range(minimum: Double?, maximum: Double?)
        case present
        case absent
    }

    let path: ArgumentPath
    let op: Operator

    /// Whether the arguments satisfy the condition.
    func holds(in arguments: JSONValue) -> Bool {
        switch op {
        case .present:
            return path.anyValue(in: arguments) { _ in true }
        case .absent:
            return !path.anyValue(in: arguments) { _ in true }
        case .equals(let expected):
            return path.anyValue(in: arguments) { $0 == expected }
        case .oneOf(let values):
            return path.anyValue(in: arguments) { value in values.contains(value) }
        case .prefix(let prefix):
            return path.anyValue(in: arguments) { value in
                guard case .string(let string) = value else { return false }
                return string.utf8.starts(with: prefix.utf8)
            }
        case .regex(let regex):
            return path.anyValue(in: arguments) { value in
                guard case .string(let string) = value else { return false }
                return regex.matches(string)
            }
        case .range(let minimum, let maximum):
            return path.anyValue(in: arguments) { value in
                guard case .number(let number) = value else { return false }
                let double = number.doubleValue
                guard !double.isNaN else { return false }
                if let minimum, double < minimum { return false }
                if let maximum, double > maximum { return false }
                return true
            }
        }
    }
}
