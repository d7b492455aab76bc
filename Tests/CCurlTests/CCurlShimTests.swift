import CCurl
import Foundation
import Testing

/// The libcurl shim: each typed wrapper reaches the variadic function it stands for.
///
/// A transfer of a local `file://` URL exercises the options, callbacks and info getters
/// without a network.
@Suite("libcurl shim")
struct CCurlShimTests {
    final class Sink {
        var body: [UInt8] = []
        var progressCalls = 0
    }

    @Test func versionIsUsable() {
        let info = ccurl_version_info()!
        #expect(info.pointee.version_num >= 0x07_40_00)  // 7.64 or newer
        #expect((Int32(info.pointee.features) & CURL_VERSION_SSL) != 0, "libcurl must be built with TLS")
    }

    @Test func transfersALocalFileThroughTheWrappers() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ccurl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("body.json")
        let payload = Array(#"{"jsonrpc":"2.0","id":1,"result":{}}"#.utf8)
        try Data(payload).write(to: file)

        let handle = try #require(curl_easy_init())
        defer { curl_easy_cleanup(handle) }
        let sink = Sink()
        let context = Unmanaged.passRetained(sink)
        defer { context.release() }

        #expect(ccurl_easy_setopt_pointer(handle, CURLOPT_URL, "file://\(file.path)") == CURLE_OK)
        #expect(ccurl_easy_setopt_long(handle, CURLOPT_NOPROGRESS, 0) == CURLE_OK)
        #expect(ccurl_easy_setopt_off_t(handle, CURLOPT_MAXFILESIZE_LARGE, 1 << 20) == CURLE_OK)
        #expect(ccurl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, context.toOpaque()) == CURLE_OK)
        #expect(ccurl_easy_setopt_pointer(handle, CURLOPT_XFERINFODATA, context.toOpaque()) == CURLE_OK)
        let write: ccurl_write_callback = { data, size, count, opaque in
            let sink = Unmanaged<Sink>.fromOpaque(opaque!).takeUnretainedValue()
            let length = size * count
            data!.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
                sink.body.append(contentsOf: UnsafeBufferPointer(start: bytes, count: length))
            }
            return length
        }
        let progress: ccurl_xferinfo_callback = { opaque, _, _, _, _ in
            Unmanaged<Sink>.fromOpaque(opaque!).takeUnretainedValue().progressCalls += 1
            return 0
        }
        #expect(ccurl_easy_setopt_write_callback(handle, CURLOPT_WRITEFUNCTION, write) == CURLE_OK)
        #expect(ccurl_easy_setopt_xferinfo_callback(handle, progress) == CURLE_OK)

        #expect(curl_easy_perform(handle) == CURLE_OK)
        #expect(sink.body == payload)
        #expect(sink.progressCalls > 0)

        var downloaded: curl_off_t = 0
        #expect(ccurl_easy_getinfo_off_t(handle, CURLINFO_SIZE_DOWNLOAD_T, &downloaded) == CURLE_OK)
        #expect(downloaded == curl_off_t(payload.count))
        var effective: UnsafePointer<CChar>?
        #expect(ccurl_easy_getinfo_string(handle, CURLINFO_EFFECTIVE_URL, &effective) == CURLE_OK)
        #expect(effective.map { String(cString: $0) }?.hasSuffix("body.json") == true)
        var code = -1
        #expect(ccurl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code) == CURLE_OK)
        #expect(code == 0)  // file:// has no response code
    }

    @Test func aWriteCallbackThatRefusesAbortsTheTransfer() throws {
        // The HTTP client bounds response sizes by refusing bytes past the limit.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ccurl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("big")
        try Data(repeating: 0x61, count: 4096).write(to: file)
        let handle = try #require(curl_easy_init())
        defer { curl_easy_cleanup(handle) }
        #expect(ccurl_easy_setopt_pointer(handle, CURLOPT_URL, "file://\(file.path)") == CURLE_OK)
        let refuse: ccurl_write_callback = { _, _, _, _ in 0 }
        #expect(ccurl_easy_setopt_write_callback(handle, CURLOPT_WRITEFUNCTION, refuse) == CURLE_OK)
        #expect(curl_easy_perform(handle) == CURLE_WRITE_ERROR)
    }

    @Test func multiHandleOptions() throws {
        let multi = try #require(curl_multi_init())
        defer { curl_multi_cleanup(multi) }
        #expect(ccurl_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, 8) == CURLM_OK)
    }
}
