import DossierKit
import _DossierTestSupport
import Foundation

// `--legal`: dossiers that look like the pilot's: varied units, types, grants and dated facts, and
// six documents each (plain text, PDF with a Chinese text layer, DOCX) whose Chinese text mixes
// contract boilerplate (in every document) with each achievement's own subject terms (in a few),
// so that searches are as selective as real ones.

enum LegalCorpus {
    static let subjects = Array("玉米 大豆 马铃薯 小麦 燕麦 荞麦 向日葵 甜菜 苜蓿 羊草 沙棘 枸杞 肉苁蓉 黄芪 甘草 稀土 永磁 储氢 抛光粉 风光互补 储能 光伏 风电 叶片 碳纤维 氢能 石墨烯 煤化工 催化剂 烯烃 羊绒 乳酸菌 奶酪 酸马奶 疫苗 口蹄疫 布鲁氏菌 肉羊 绒山羊 奶牛 草原 荒漠化 盐碱地 节水 灌溉 滴灌 传感器 无人机 遥感 芯片 算法 软件 数据库 蒙药 兽药 种薯 脱毒 冷链 牧草 青贮 饲料 菌剂 有机肥 生物炭 氮化镓 铝合金 镁合金 稀土钢 焊接 涂层 轴承 电机 变频器 锂电池 钠电池 光热 地热 沼气 秸秆 蘑菇 沙漠 骆驼 马奶 蒙古马 牦牛 苗木 樟子松 杨树 柠条".split(separator: " ").map(String.init))
    static let suffixes = Array("品种 技术 方法 装置 系统 工艺 材料 制剂 设备 模型 平台 检测 育种 栽培 加工 提取 改良 控制 监测 防治".split(separator: " ").map(String.init))
    static let boilerplate = [
        "甲方与乙方经友好协商，就下列事项达成一致，签订本合同。", "双方应当遵守国家有关法律法规和本单位规章制度。",
        "本合同自双方签字盖章之日起生效，一式四份，双方各执两份。", "任何一方违反本合同约定的，应当承担违约责任并赔偿损失。",
        "因本合同引起的争议，双方应协商解决；协商不成的，提交呼和浩特仲裁委员会仲裁。", "乙方应对在履行本合同过程中知悉的技术秘密承担保密义务。",
        "成果转化收益按照单位内部管理制度进行分配。", "本协议未尽事宜，由双方另行签订补充协议。", "知识产权维护费用由双方按约定比例分担。",
        "单位内公示期满无异议后，报主管部门备案。", "本成果属于职务科技成果，由单位与成果完成人共同所有。", "相关费用以银行转账方式支付至甲方指定账户。",
        "经审查，该成果不涉及国家秘密，不影响国家安全和公共利益。", "双方确认，本合同所涉技术资料真实、完整、有效。",
        "付款方式：合同生效后三十日内支付首期款，验收合格后支付余款。", "乙方应当按照约定实施成果转化，并按年度报告实施情况。",
    ]
    static let surnames = Array("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文").map(String.init)
    static let given = Array("芳强伟敏静丽军磊洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉玲斌宇浩凯晨阳雪琳颖婷健飞波峰龙").map(String.init)
    static let places = ["呼和浩特", "包头", "鄂尔多斯", "赤峰", "通辽", "呼伦贝尔", "巴彦淖尔", "乌兰察布", "锡林郭勒", "阿拉善", "乌海", "兴安"]

    /// A subject index drawn from a skewed distribution: a few subjects are common, most are rare.
    static func skewed(_ generator: inout SeededGenerator, count: Int) -> Int {
        let u = Double(generator.next() % 1_000_000) / 1_000_000
        return min(count - 1, Int(pow(u, 2.2) * Double(count)))
    }

    static func name(_ generator: inout SeededGenerator) -> String {
        surnames[Int(generator.next() % UInt64(surnames.count))] + given[Int(generator.next() % UInt64(given.count))]
            + (generator.next() % 2 == 0 ? given[Int(generator.next() % UInt64(given.count))] : "")
    }

    static func company(_ generator: inout SeededGenerator, topic: String) -> String {
        "内蒙古\(places[Int(generator.next() % UInt64(places.count))])\(topic)科技有限公司"
    }

    /// A document's text: a heading, then boilerplate and subject sentences up to about `size` bytes.
    static func text(_ generator: inout SeededGenerator, heading: String, topics: [String], people: [String], company: String, size: Int) -> String {
        var result = heading + "\n"
        var sentence = 0
        while result.utf8.count < size {
            sentence += 1
            let roll = generator.next() % 10
            if roll < 6 {
                result += boilerplate[Int(generator.next() % UInt64(boilerplate.count))]
            } else if roll < 9 {
                let topic = topics[Int(generator.next() % UInt64(topics.count))]
                let person = people[Int(generator.next() % UInt64(people.count))]
                result += "第\(sentence)条 \(person)团队研发的\(topic)已完成中试，\(company)负责产业化，年产能\(generator.next() % 900 + 100)吨。"
            } else {
                result += "项目编号NMG-\(2020 + generator.next() % 5)-\(generator.next() % 10000)，经费\(generator.next() % 500 + 10)万元。"
            }
            if sentence % 4 == 0 { result += "\n" }
        }
        return result
    }
}

/// A minimal PDF whose text layer is `text`: a Type0 font with Identity-H encoding (not
/// embedded) and a ToUnicode CMap mapping each code to the same Unicode value, as
/// Tests/Fixtures/index/make-fixtures.py writes for the tests.
enum MinimalPDF {
    static func make(_ text: String) -> [UInt8] {
        var objects: [[UInt8]] = []
        var ranges: [String] = []
        for high in 0..<256 where !(0xD8...0xDF).contains(high) {
            let h = String(format: "%02X", high)
            ranges.append("<\(h)00> <\(h)FF> <\(h)00>")
        }
        var blocks: [String] = []
        for start in stride(from: 0, to: ranges.count, by: 100) {
            let block = ranges[start..<min(start + 100, ranges.count)]
            blocks.append("\(block.count) beginbfrange\n\(block.joined(separator: "\n"))\nendbfrange")
        }
        let cmap = Array("""
            /CIDInit /ProcSet findresource begin
            12 dict begin
            begincmap
            /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
            /CMapName /Adobe-Identity-UCS def
            /CMapType 2 def
            1 begincodespacerange
            <0000> <FFFF>
            endcodespacerange
            \(blocks.joined(separator: "\n"))
            endcmap
            CMapName currentdict /CMap defineresource pop
            end
            end

            """.utf8)
        // Lines of at most 50 characters on one page tall enough for all of them: text outside
        // the page is not part of its text layer.
        var lines: [Substring] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var rest = paragraph
            repeat {
                lines.append(rest.prefix(50))
                rest = rest.dropFirst(50)
            } while !rest.isEmpty
        }
        let height = max(842, lines.count * 12 + 80)
        var content = "BT\n/F1 10 Tf\n12 TL\n40 \(height - 40) Td\n"
        for line in lines {
            var hex = ""
            for scalar in line.unicodeScalars where scalar.value <= 0xFFFF { hex += String(format: "%04X", scalar.value) }
            content += "<\(hex)> Tj T*\n"
        }
        content += "ET"
        let stream = Array(content.utf8)
        objects.append(Array("<< /Type /Catalog /Pages 2 0 R >>".utf8))
        objects.append(Array("<< /Type /Pages /Kids [7 0 R] /Count 1 >>".utf8))
        objects.append(Array("<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [4 0 R] /ToUnicode 6 0 R >>".utf8))
        objects.append(Array("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 5 0 R /DW 1000 /CIDToGIDMap /Identity >>".utf8))
        objects.append(Array("<< /Type /FontDescriptor /FontName /SimSun /Flags 6 /FontBBox [0 -141 996 855] /ItalicAngle 0 /Ascent 859 /Descent -141 /CapHeight 683 /StemV 80 >>".utf8))
        objects.append(Array("<< /Length \(cmap.count) >>\nstream\n".utf8) + cmap + Array("\nendstream".utf8))
        objects.append(Array("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 \(height)] /Resources << /Font << /F1 3 0 R >> >> /Contents 8 0 R >>".utf8))
        objects.append(Array("<< /Length \(stream.count) >>\nstream\n".utf8) + stream + Array("\nendstream".utf8))
        var out = Array("%PDF-1.4\n".utf8)
        var offsets: [Int] = []
        for (number, body) in objects.enumerated() {
            offsets.append(out.count)
            out += Array("\(number + 1) 0 obj\n".utf8) + body + Array("\nendobj\n".utf8)
        }
        let xref = out.count
        out += Array("xref\n0 \(objects.count + 1)\n0000000000 65535 f \n".utf8)
        for offset in offsets { out += Array(String(format: "%010d 00000 n \n", offset).utf8) }
        out += Array("trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n".utf8)
        return out
    }
}

/// A minimal DOCX: a stored (uncompressed) zip with [Content_Types].xml and word/document.xml,
/// one paragraph per line.
enum MinimalDOCX {
    static func make(_ text: String) -> [UInt8] {
        func escape(_ line: Substring) -> String {
            line.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        }
        let paragraphs = text.split(separator: "\n").map { "<w:p><w:r><w:t xml:space=\"preserve\">\(escape($0))</w:t></w:r></w:p>" }.joined()
        let document = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>\(paragraphs)</w:body></w:document>"
        let types = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>"
        return storedZip([("[Content_Types].xml", Array(types.utf8)), ("word/document.xml", Array(document.utf8))])
    }

    static func storedZip(_ files: [(String, [UInt8])]) -> [UInt8] {
        func le16(_ value: Int) -> [UInt8] { [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF)] }
        func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) } }
        var out: [UInt8] = []
        var central: [UInt8] = []
        for (name, data) in files {
            let nameBytes = Array(name.utf8)
            let crc = crc32(data)
            let offset = UInt32(out.count)
            let common = le16(20) + le16(0x0800) + le16(0) + le16(0) + le16(0x5421) + le32(crc) + le32(UInt32(data.count)) + le32(UInt32(data.count)) + le16(nameBytes.count) + le16(0)
            out += le32(0x0403_4B50) + common + nameBytes + data
            central += le32(0x0201_4B50) + le16(20) + common + le16(0) + le16(0) + le16(0) + le32(0) + le32(offset) + nameBytes
        }
        let centralOffset = UInt32(out.count)
        out += central
        out += le32(0x0605_4B50) + le16(0) + le16(0) + le16(files.count) + le16(files.count) + le32(UInt32(central.count)) + le32(centralOffset) + le16(0)
        return out
    }

    static let table: [UInt32] = (0..<256).map { index -> UInt32 in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 != 0 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    static func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
