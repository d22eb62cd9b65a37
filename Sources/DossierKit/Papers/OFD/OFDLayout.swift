/// Reading order: positioned text runs to lines of plain text, by the rules of ofdkit's
/// `layout.page_text` (ofdkit 0.2.0), so that both give the same text for the same page:
///
/// 1. Drop runs drawn twice at the same spot (fake bold): same text, same x and y to ¼ mm.
/// 2. Merge vertical labels: single Chinese characters stacked at one x (购/买/方 on e-invoices)
///    become one run at the top character.
/// 3. Group runs into lines by baseline (within half the smaller font size of the line's first
///    run, after sorting by y then x) and sort each line by x.
/// 4. Read multi-column prose regions column by column; everything else line by line.
/// 5. Join a line's runs with nothing, a space (gap over ¼ em) or three spaces (gap over 1½ em);
///    lines with "\n", and a blank line where the baseline steps more than 2.2 font sizes.
///    Blocks are joined by a blank line.
///
/// Python's semantics are kept where they decide the output: stable sorts, `min`/`max` that keep
/// the first of equals, `str.strip()` whitespace, round-half-even, code point counts.
enum OFDLayout {
    static let sameLine = 0.5
    static let wordGap = 0.25
    static let columnGap = 1.5
    static let paragraphGap = 2.2
    static let minimumSize = 1.0
    static let stackStep = 3.0
    static let stackAlign = 0.3
    static let stackMaximum = 10
    static let stackGap = 0.5
    static let columnAlign = 2.5
    static let columnMinimumRows = 3
    static let columnMinimumCharacters = 6.0
    static let columnFullLine = 0.85
    static let columnMinimumFullShare = 0.5
    static let columnMaximumStep = 4.0
    static let columnMinimumWidth = 10.0
    static let columnSizeRatio = 1.25

    typealias Run = OFDTextRun
    typealias Line = [Run]

    /// The page's text in reading order.
    static func pageText(_ runs: [Run]) -> String {
        let visible = dedupe(runs).filter { PythonText.hasVisible($0.text) }
        let merged = mergeVerticalLabels(visible)
        let lines = groupLines(merged).map { $0.map { merged[$0] } }
        let texts = blocks(lines).map(render).filter { !$0.isEmpty }
        return stripNewlines(texts.joined(separator: "\n\n"))
    }

    // MARK: Python's min and max

    /// `min(a, b)`: `b` only when strictly smaller.
    @inline(__always) static func pyMin(_ a: Double, _ b: Double) -> Double { b < a ? b : a }
    /// `max(a, b)`: `b` only when strictly larger.
    @inline(__always) static func pyMax(_ a: Double, _ b: Double) -> Double { b > a ? b : a }

    static func minimumSize(of runs: some Sequence<Run>) -> Double {
        var result: Double?
        for run in runs {
            if let current = result { result = pyMin(current, run.size) } else { result = run.size }
        }
        return result ?? 0
    }

    /// `str.strip("\n")`.
    static func stripNewlines(_ text: String) -> String {
        var scalars = Substring(text).unicodeScalars
        while scalars.first == "\n" { scalars.removeFirst() }
        while scalars.last == "\n" { scalars.removeLast() }
        return String(String.UnicodeScalarView(scalars))
    }

    /// Stable sort by a comparison, as Python's `sorted` with a key.
    static func stableSorted<T>(_ items: [T], by less: (T, T) -> Bool) -> [T] {
        items.enumerated().sorted { lhs, rhs in
            if less(lhs.element, rhs.element) { return true }
            if less(rhs.element, lhs.element) { return false }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }

    /// Python's tuple order for `(first, second)` keys of floats.
    static func tupleLess(_ a: (Double, Double), _ b: (Double, Double)) -> Bool {
        if a.0 != b.0 { return a.0 < b.0 }
        return a.1 < b.1
    }

    // MARK: 1. Duplicates

    struct DedupeKey: Hashable {
        var text: String
        var x: Int?
        var y: Int?
    }

    static func dedupe(_ runs: [Run]) -> [Run] {
        var seen: Set<DedupeKey> = []
        var unique: [Run] = []
        for run in runs {
            let key = DedupeKey(text: run.text, x: PythonText.round(run.x * 4), y: PythonText.round(run.y * 4))
            if seen.insert(key).inserted { unique.append(run) }
        }
        return unique
    }

    // MARK: 2. Vertical labels

    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        let code = scalar.value
        return (0x4E00...0x9FFF).contains(code) || (0x3400...0x4DBF).contains(code)
            || (0xF900...0xFAFF).contains(code) || (0x20000...0x3134F).contains(code)
    }

    static func mergeVerticalLabels(_ runs: [Run]) -> [Run] {
        let lines = groupLines(runs)
        var lineOf = [Int](repeating: 0, count: runs.count)
        for (number, line) in lines.enumerated() { for id in line { lineOf[id] = number } }
        var candidates: [Int] = []
        for line in lines { candidates.append(contentsOf: labelCharacters(line, runs)) }
        let singles = stableSorted(candidates) { tupleLess((runs[$0].x, runs[$0].y), (runs[$1].x, runs[$1].y)) }
        var isSingle = [Bool](repeating: false, count: runs.count)
        for id in singles { isSingle[id] = true }
        func alone(_ id: Int) -> Bool {
            lines[lineOf[id]].allSatisfy { $0 == id || isSingle[$0] }
        }
        // Candidates below a character sit within 0.3 font sizes of its x: search that window of
        // the x-sorted singles (widened a little against rounding) instead of all of them.
        let xs = singles.map { runs[$0].x }
        let windowed = !xs.contains { $0.isNaN }

        var used = [Bool](repeating: false, count: runs.count)
        var merged: [Int: Run] = [:]
        for start in singles {
            if used[start] { continue }
            var chain = [start]
            var inChain: Set<Int> = [start]
            while chain.count < stackMaximum + 1 {
                let last = runs[chain[chain.count - 1]]
                let lastID = chain[chain.count - 1]
                let size = pyMax(last.size, minimumSize)
                var nearest: Int?
                var lower = 0
                var upper = singles.count
                if windowed {
                    let tolerance = stackAlign * size
                    let slack = abs(tolerance) * 1e-9 + abs(last.x) * 1e-12 + 1e-12
                    lower = firstIndex(in: xs, notBelow: last.x - tolerance - slack)
                    upper = firstIndex(in: xs, above: last.x + tolerance + slack)
                }
                var position = lower
                while position < upper {
                    let candidateID = singles[position]
                    position += 1
                    if used[candidateID] || candidateID == lastID || inChain.contains(candidateID) { continue }
                    let candidate = runs[candidateID]
                    let step = candidate.y - last.y
                    if 0 < step && step <= stackStep * size
                        && abs(candidate.x - last.x) <= stackAlign * size
                        && abs(candidate.size - last.size) <= 0.1 * size {
                        if let current = nearest {
                            if step < runs[current].y - last.y { nearest = candidateID }
                        } else {
                            nearest = candidateID
                        }
                    }
                }
                guard let next = nearest else { break }
                chain.append(next)
                inChain.insert(next)
            }
            while let last = chain.last, !alone(last) { chain.removeLast() }
            let aloneCount = chain.filter(alone).count
            if chain.count >= 2 && chain.count <= stackMaximum && 2 * aloneCount >= chain.count {
                for id in chain { used[id] = true }
                var text = ""
                for id in chain { text += PythonText.strip(runs[id].text) }
                var label = runs[start]
                label.text = text
                label.width = pyMax(label.size, minimumSize)
                merged[start] = label
            }
        }
        if merged.isEmpty { return runs }
        var result: [Run] = []
        for id in runs.indices where !used[id] || merged[id] != nil {
            result.append(merged[id] ?? runs[id])
        }
        return result
    }

    static func firstIndex(in sorted: [Double], notBelow value: Double) -> Int {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }

    static func firstIndex(in sorted: [Double], above value: Double) -> Int {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] <= value { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Single Chinese characters on a line (sorted by x) with a clear gap on both sides.
    static func labelCharacters(_ line: [Int], _ runs: [Run]) -> [Int] {
        var found: [Int] = []
        for (index, id) in line.enumerated() {
            let run = runs[id]
            let scalars = Array(PythonText.strip(run.text).unicodeScalars)
            guard scalars.count == 1, isCJK(scalars[0]) else { continue }
            let gap = stackGap * pyMax(run.size, minimumSize)
            if index > 0 {
                let previous = runs[line[index - 1]]
                if run.x - (previous.x + previous.width) <= gap { continue }
            }
            if index + 1 < line.count {
                let next = runs[line[index + 1]]
                if next.x - (run.x + run.width) <= gap { continue }
            }
            found.append(id)
        }
        return found
    }

    // MARK: 3. Lines

    /// Indices of `runs` grouped into lines, each sorted by x.
    static func groupLines(_ runs: [Run]) -> [[Int]] {
        let order = stableSorted(Array(runs.indices)) { tupleLess((runs[$0].y, runs[$0].x), (runs[$1].y, runs[$1].x)) }
        var lines: [[Int]] = []
        for id in order {
            let run = runs[id]
            if let line = lines.last {
                let anchor = runs[line[0]]
                let tolerance = sameLine * pyMax(pyMin(run.size, anchor.size), minimumSize)
                if abs(run.y - anchor.y) <= tolerance {
                    lines[lines.count - 1].append(id)
                    continue
                }
            }
            lines.append([id])
        }
        return lines.map { line in stableSorted(line) { runs[$0].x < runs[$1].x } }
    }

    static func pieces(_ line: Line) -> [Line] {
        var pieces: [Line] = [[line[0]]]
        for index in 1..<max(line.count, 1) where index < line.count {
            let previous = line[index - 1]
            let run = line[index]
            let size = pyMax(pyMin(previous.size, run.size), minimumSize)
            if run.x - (previous.x + previous.width) > columnGap * size {
                pieces.append([run])
            } else {
                pieces[pieces.count - 1].append(run)
            }
        }
        return pieces
    }

    // MARK: 4. Blocks and columns

    static func blocks(_ lines: [Line]) -> [[Line]] {
        var blocks: [[Line]] = []
        var current: [Line] = []
        let allPieces = lines.map(pieces)
        var index = 0
        while index < lines.count {
            let region = allPieces[index].count >= 2 ? columnRegion(allPieces, first: index) : nil
            guard let (end, columns, asides) = region else {
                current.append(lines[index])
                index += 1
                continue
            }
            if !current.isEmpty {
                blocks.append(current)
                current = []
            }
            blocks.append(contentsOf: columns.filter { !$0.isEmpty })
            if !asides.isEmpty { blocks.append(asides) }
            index = end
        }
        if !current.isEmpty { blocks.append(current) }
        return blocks
    }

    static func right(_ piece: Line) -> Double {
        var result = piece[0].x + piece[0].width
        for run in piece.dropFirst() { result = pyMax(result, run.x + run.width) }
        return result
    }

    static func sameSize(_ piece: Line, _ size: Double) -> Bool {
        let pieceSize = pyMax(minimumSize(of: piece), minimumSize)
        let ratio = pieceSize / size
        return 1 / columnSizeRatio <= ratio && ratio <= columnSizeRatio
    }

    static func columnRegion(_ pieces: [[Line]], first: Int) -> (Int, [[Line]], [Line])? {
        let starts = pieces[first].map { $0[0].x }
        let size = pyMax(minimumSize(of: pieces[first].joined()), minimumSize)
        var columns = [[Line]](repeating: [], count: starts.count)
        var asides: [Line] = []
        var multiRows = 0
        var previousY = pieces[first][0][0].y
        var index = first
        while index < pieces.count {
            let row = pieces[index]
            if row[0][0].y - previousY > columnMaximumStep * size { break }
            let body = row.filter { sameSize($0, size) }
            let others = row.filter { !sameSize($0, size) }
            if body.isEmpty {
                asides.append(contentsOf: others)
                index += 1
                continue
            }
            guard let placed = place(body, starts: starts, size: size) else { break }
            asides.append(contentsOf: others)
            for (column, piece) in placed { columns[column].append(piece) }
            if body.count >= 2 { multiRows += 1 }
            previousY = body[0][0].y
            index += 1
        }
        if multiRows < columnMinimumRows { return nil }
        for column in columns {
            if column.isEmpty { return nil }
            var characters = 0
            for piece in column {
                for run in piece { characters += run.text.unicodeScalars.filter { $0 != " " }.count }
            }
            let average = Double(characters) / Double(column.count)
            if average < columnMinimumCharacters { return nil }
            var widest = right(column[0])
            var leftmost = column[0][0].x
            for piece in column.dropFirst() {
                widest = pyMax(widest, right(piece))
                leftmost = pyMin(leftmost, piece[0].x)
            }
            let span = pyMax(widest - leftmost, size)
            if span < columnMinimumWidth * size { return nil }
            let full = column.filter { right($0) - $0[0].x >= columnFullLine * span }.count
            if Double(full) < columnMinimumFullShare * Double(column.count) { return nil }
        }
        return (index, columns, asides)
    }

    static func place(_ row: [Line], starts: [Double], size: Double) -> [(Int, Line)]? {
        let tolerance = columnAlign * size
        var placed: [(Int, Line)] = []
        var taken: Set<Int> = []
        for piece in row {
            let x = piece[0].x
            var column: Int?
            for (number, start) in starts.enumerated() {
                let following = number + 1 < starts.count ? starts[number + 1] : nil
                if x >= start - tolerance && (following == nil || x < (following ?? 0) - tolerance) {
                    column = number
                    break
                }
            }
            guard let found = column, !taken.contains(found) else { return nil }
            if found + 1 < starts.count, right(piece) > starts[found + 1] - 0.5 * size { return nil }
            taken.insert(found)
            placed.append((found, piece))
        }
        return placed
    }

    // MARK: 5. Rendering

    static func render(_ lines: [Line]) -> String {
        var out: [String] = []
        var previousY: Double?
        var previousSize = minimumSize
        for line in lines {
            let size = pyMax(minimumSize(of: line), minimumSize)
            let y = line[0].y
            if let previous = previousY, y - previous > paragraphGap * pyMax(size, previousSize) {
                out.append("")
            }
            out.append(joinLine(line))
            previousY = y
            previousSize = size
        }
        return stripNewlines(out.joined(separator: "\n"))
    }

    static func joinLine(_ line: Line) -> String {
        var text = line[0].text
        for index in 1..<max(line.count, 1) where index < line.count {
            let previous = line[index - 1]
            let run = line[index]
            let size = pyMax(pyMin(previous.size, run.size), minimumSize)
            let gap = run.x - (previous.x + previous.width)
            if gap > columnGap * size {
                text += "   "
            } else if gap > wordGap * size {
                text += " "
            }
            text += run.text
        }
        return PythonText.strip(text)
    }
}
