extension Sequence<UInt8> {
    /// Calls `body` with the sequence's bytes in contiguous memory whose base address is
    /// never nil, so that the pointer can be handed to C even for an empty sequence.
    ///
    /// Arrays, array slices and native strings' UTF-8 views are passed without a copy;
    /// any other sequence is first copied into an array.
    ///
    /// - Parameter body: A closure that reads the bytes; the pointer is valid only during
    ///   the call.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws.
    func withContiguousBytes<Result, Failure: Error>(
        _ body: (UnsafeBufferPointer<UInt8>) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        var outcome: Swift.Result<Result, Failure>?
        _ = withContiguousStorageIfAvailable { buffer in
            outcome = Swift.Result { () throws(Failure) -> Result in
                try withNonNilBase(buffer, body)
            }
        }
        if let outcome {
            return try outcome.get()
        }
        return try Array(self).withUnsafeBufferPointer { (buffer) throws(Failure) -> Result in
            try withNonNilBase(buffer, body)
        }
    }
}

/// Calls `body` with `buffer`, or with an empty buffer over a valid address when
/// `buffer` has none.
private func withNonNilBase<Result, Failure: Error>(
    _ buffer: UnsafeBufferPointer<UInt8>,
    _ body: (UnsafeBufferPointer<UInt8>) throws(Failure) -> Result
) throws(Failure) -> Result {
    if buffer.baseAddress != nil {
        return try body(buffer)
    }
    return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1) {
        (placeholder) throws(Failure) -> Result in
        try body(UnsafeBufferPointer(start: placeholder.baseAddress, count: 0))
    }
}
