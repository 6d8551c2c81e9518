import CCogSyncShims
import Foundation
import CCurl

/// One HTTP exchange on a curl easy handle: the request bytes it sends and the response it collects.
///
/// curl's callbacks only append to these buffers; they never reach Lua.
final class Transfer {
    let handle: UnsafeMutableRawPointer
    var headerList: UnsafeMutablePointer<curl_slist>?
    var responseBody: [UInt8] = []
    var responseHeaders: [(String, String)] = []
    var statusLine = ""
    /// curl writes its detailed error text here; it must stay at one address for the handle's lifetime.
    let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    init?() {
        guard let h = curl_easy_init() else { return nil }
        handle = h
        errorBuffer[0] = 0
    }

    deinit {
        if let list = headerList { curl_slist_free_all(list) }
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// Clears the previous exchange so the handle (and its connection cache entry) can be reused.
    func reset() {
        curl_easy_reset(handle)
        if let list = headerList { curl_slist_free_all(list) }
        headerList = nil
        responseBody.removeAll(keepingCapacity: true)
        responseHeaders.removeAll(keepingCapacity: true)
        statusLine = ""
        errorBuffer[0] = 0
    }

    func appendBody(_ ptr: UnsafeRawPointer, _ count: Int) {
        responseBody.append(contentsOf: UnsafeRawBufferPointer(start: ptr, count: count))
    }

    func appendHeaderLine(_ ptr: UnsafeRawPointer, _ count: Int) {
        var bytes = UnsafeRawBufferPointer(start: ptr, count: count)[...]
        while let last = bytes.last, last == 0x0A || last == 0x0D { bytes = bytes.dropLast() }
        guard !bytes.isEmpty else { return }
        let line = String(decoding: bytes, as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            // A new status line (after 100-continue or a redirect) starts a new header block.
            statusLine = line
            responseHeaders.removeAll(keepingCapacity: true)
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = String(line[..<colon])
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        responseHeaders.append((name, value))
    }

    var curlErrorMessage: String {
        String(cString: errorBuffer)
    }
}

/// curl write callback: appends the body bytes to the transfer named by `userdata`.
let transferWriteCallback: cogsync_curl_data_fn = { ptr, size, count, userdata in
    let n = size * count
    guard let ptr, let userdata else { return 0 }
    Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue().appendBody(ptr, n)
    return n
}

/// curl header callback: records one header line.
let transferHeaderCallback: cogsync_curl_data_fn = { ptr, size, count, userdata in
    let n = size * count
    guard let ptr, let userdata else { return 0 }
    Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue().appendHeaderLine(ptr, n)
    return n
}
