/// A coding key made at run time: an object member's name or an array index.
///
/// Coding paths in the errors of ``JSONValueEncoder`` and ``JSONValueDecoder`` use it for
/// array positions (`Index 3`) and for the `super` key of `superEncoder()`/`superDecoder()`.
struct JSONCodingKey: CodingKey, Sendable, Hashable {
    let stringValue: String
    let intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }

    init(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }

    /// The key of the element at `index` of an array.
    init(index: Int) {
        self.stringValue = "Index \(index)"
        self.intValue = index
    }

    /// The key `superEncoder()` and `superDecoder()` use.
    static let superKey = JSONCodingKey(stringValue: "super")
}
