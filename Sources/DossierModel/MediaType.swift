/// The media type recorded for a filed document, from its file name's extension.
public enum MediaType {
    static let byExtension: [String: String] = [
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "doc": "application/msword",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "odt": "application/vnd.oasis.opendocument.text",
        "txt": "text/plain", "md": "text/markdown", "csv": "text/csv", "html": "text/html", "xml": "application/xml",
        "json": "application/json",
        "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "tif": "image/tiff", "tiff": "image/tiff",
        "gif": "image/gif", "webp": "image/webp",
        "zip": "application/zip", "gz": "application/gzip", "7z": "application/x-7z-compressed",
        "ofd": "application/ofd",
    ]

    public static func forFileName(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "application/octet-stream" }
        return byExtension[name[name.index(after: dot)...].lowercased()] ?? "application/octet-stream"
    }

    /// Formats that are already compressed: archives store them as they are.
    public static func isCompressed(_ mediaType: String) -> Bool {
        mediaType.hasPrefix("image/") && mediaType != "image/tiff"
            || ["application/pdf", "application/zip", "application/gzip", "application/x-7z-compressed", "application/ofd"].contains(mediaType)
            || mediaType.hasPrefix("application/vnd.openxmlformats") || mediaType == "application/vnd.oasis.opendocument.text"
    }
}
