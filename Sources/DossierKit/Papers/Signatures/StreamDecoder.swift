import CDossierZlib
import DossierModel

/// Decodes the streams the signature finder needs (cross-reference and object streams):
/// FlateDecode with an output cap, then the PNG and TIFF predictors of ISO 32000-1 §7.4.4.4.
enum StreamDecoder {
    enum Failure: Error {
        case tooLarge
        case malformed(String)
    }

    /// Decodes `data` per the stream dictionary's /Filter and /DecodeParms.
    /// - Parameter limit: the most decoded bytes accepted (a zip bomb stops there).
    static func decode(_ data: [UInt8], dictionary: [String: PDFValue], limit: Int) throws(Failure) -> [UInt8] {
        var filters: [String] = []
        switch dictionary["Filter"] {
        case .name(let name)?: filters = [name]
        case .array(let names)?: filters = names.compactMap(\.name)
        case nil, .null?: filters = []
        default: throw .malformed("/Filter is neither a name nor an array of names")
        }
        var parameters: [[String: PDFValue]?] = []
        switch dictionary["DecodeParms"] {
        case .dictionary(let single)?: parameters = [single]
        case .array(let list)?: parameters = list.map(\.dictionary)
        default: parameters = []
        }
        guard filters.count <= 4 else { throw .malformed("more than 4 filters") }
        var output = data
        for (index, filter) in filters.enumerated() {
            guard filter == "FlateDecode" || filter == "Fl" else {
                throw .malformed("filter /\(filter) is not supported for cross-reference or object streams")
            }
            output = try inflate(output, limit: limit)
            if index < parameters.count, let parameters = parameters[index] {
                output = try unpredict(output, parameters: parameters)
            }
        }
        return output
    }

    /// zlib inflate, refusing output beyond `limit` bytes.
    ///
    /// Inflates straight into an array reserved at `limit + 1` bytes: Linux commits only the pages that
    /// are written, so a small stream costs little and a bomb stops at the limit without copies.
    static func inflate(_ input: [UInt8], limit: Int) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        guard CDossierZlib_inflateInit(&stream) == Z_OK else { throw .malformed("zlib could not start") }
        defer { inflateEnd(&stream) }
        let capacity = min(limit, Int(UInt32.max) - 1) + 1
        var status: Int32 = Z_OK
        let output = input.withUnsafeBufferPointer { source in
            [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
                stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
                stream.avail_in = UInt32(source.count)
                stream.next_out = buffer.baseAddress
                stream.avail_out = UInt32(capacity)
                repeat {
                    status = CDossierZlib.inflate(&stream, Z_NO_FLUSH)
                } while status == Z_OK && stream.avail_in > 0 && stream.avail_out > 0
                count = capacity - Int(stream.avail_out)
            }
        }
        guard output.count <= limit else { throw .tooLarge }
        switch status {
        case Z_STREAM_END, Z_BUF_ERROR, Z_OK:
            // Z_BUF_ERROR / Z_OK: truncated deflate data; keep what decoded, as PDF readers do.
            // A copy of exactly the decoded bytes, so that kept streams do not hold the reservation.
            return Array(output[0..<output.count])
        default:
            throw .malformed("zlib inflate failed (code \(status))")
        }
    }

    /// Undoes /Predictor 2 (TIFF) or 10–15 (PNG, per-row filter byte).
    static func unpredict(_ data: [UInt8], parameters: [String: PDFValue]) throws(Failure) -> [UInt8] {
        let predictor = parameters["Predictor"]?.integer ?? 1
        guard predictor > 1 else { return data }
        let columns = Int(parameters["Columns"]?.integer ?? 1)
        let colors = Int(parameters["Colors"]?.integer ?? 1)
        let bits = Int(parameters["BitsPerComponent"]?.integer ?? 8)
        guard (1...100_000).contains(columns), (1...32).contains(colors), [1, 2, 4, 8, 16].contains(bits) else {
            throw .malformed("unusable predictor parameters")
        }
        let pixelBytes = max(1, colors * bits / 8)
        let rowBytes = (columns * colors * bits + 7) / 8
        if predictor == 2 {
            guard bits == 8 else { throw .malformed("TIFF predictor with \(bits) bits per component is not supported") }
            var output = data
            var rowStart = 0
            while rowStart < output.count {
                let rowEnd = min(rowStart + rowBytes, output.count)
                var index = rowStart + pixelBytes
                while index < rowEnd {
                    output[index] = output[index] &+ output[index - pixelBytes]
                    index += 1
                }
                rowStart += rowBytes
            }
            return output
        }
        guard predictor >= 10 else { throw .malformed("predictor \(predictor) is not defined") }
        var output: [UInt8] = []
        output.reserveCapacity(data.count)
        var previous = [UInt8](repeating: 0, count: rowBytes)
        var index = 0
        while index < data.count {
            let filter = data[index]
            index += 1
            let count = min(rowBytes, data.count - index)
            var row = Array(data[index..<(index + count)])
            if count < rowBytes { row += [UInt8](repeating: 0, count: rowBytes - count) }
            index += count
            for column in 0..<rowBytes {
                let left = column >= pixelBytes ? row[column - pixelBytes] : 0
                let up = previous[column]
                let upLeft = column >= pixelBytes ? previous[column - pixelBytes] : 0
                switch filter {
                case 0: break
                case 1: row[column] = row[column] &+ left
                case 2: row[column] = row[column] &+ up
                case 3: row[column] = row[column] &+ UInt8((Int(left) + Int(up)) / 2)
                case 4:
                    let estimate = Int(left) + Int(up) - Int(upLeft)
                    let distanceLeft = abs(estimate - Int(left))
                    let distanceUp = abs(estimate - Int(up))
                    let distanceUpLeft = abs(estimate - Int(upLeft))
                    let pick = distanceLeft <= distanceUp && distanceLeft <= distanceUpLeft ? left
                        : distanceUp <= distanceUpLeft ? up : upLeft
                    row[column] = row[column] &+ pick
                default:
                    throw .malformed("PNG row filter \(filter) is not defined")
                }
            }
            output += row.prefix(count)
            previous = row
        }
        return output
    }
}
