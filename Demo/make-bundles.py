#!/usr/bin/env python3
"""Writes the demo's filing bundles, Demo/bundles/<ID>/<n>/ (filing.json and small papers).

Run once by hand when the demo changes; the bundles are checked in, and
scripts/make-demo-vault.sh files them, in order, into a fresh Vault/. Every name, company
and date here is fictional (2021–2024).
"""
import json, os, shutil, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "bundles")
IMUT, IMAAAHS = "内蒙古工业大学", "内蒙古农牧业科学院"
CLAUSES = ["revenue-split", "decision-mechanism", "cost-sharing", "maintenance-fees"]
OFFICER = {"name": "刘保密", "address": "mailto:security@example.org"}
bundles = {}


def file(dossier, message, docs, create=None, update=None, filed_by=None):
    """One bundle: docs are (kind, file name, facts, lines of the paper)."""
    n = len(bundles.setdefault(dossier, [])) + 1
    folder = os.path.join(OUT, dossier, str(n))
    os.makedirs(folder)
    manifest = {"dossier": dossier}
    if create: manifest["create"] = create
    if update: manifest["update"] = update
    manifest["message"] = message
    if filed_by: manifest["filedBy"] = filed_by
    manifest["documents"] = []
    for kind, name, facts, lines in docs:
        manifest["documents"].append({"kind": kind, "file": name, "facts": facts})
        path = os.path.join(folder, name)
        if name.endswith(".pdf"):
            subprocess.run([sys.executable, os.path.join(HERE, "make-pdf.py"), path] + lines, check=True)
        else:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write("\n".join(lines) + "\n")
    with open(os.path.join(folder, "filing.json"), "w", encoding="utf-8") as handle:
        handle.write(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    bundles[dossier].append(folder)


def record(title, unit, type_, funding, grant, completers, **extra):
    result = {"title": title, "unit": unit, "type": type_, "funding": funding, "grant": grant}
    result.update(extra)
    result["completers"] = completers
    return result


def paper(title, *lines):
    return [title] + list(lines)


def consensus(day, members, rep, unit):
    return ("team-consensus", "团队协商一致书.txt",
            {"signedOn": day, "parties": [m[0] for m in members], "members": [{"name": m, "share": s} for m, s in members], "representative": rep},
            paper("团队内部协商一致书面约定", *["%s：内部收益分配比例 %s%%" % (m, s) for m, s in members], "指定代表：%s" % rep, "签署日期：%s" % day))


def application(day, rep, grant, unit):
    return ("grant-application", "赋权申请书.txt",
            {"signedOn": day, "parties": [rep, unit], "applicant": rep, "grant": grant, "appliedOn": day},
            paper("赋权申请书", "申请人（团队代表）：%s" % rep, "申请赋予：%s" % ("所有权" if grant == "ownership" else "长期使用权"), "申请日期：%s" % day))


def approval(day, unit):
    return ("unit-approval", "单位审批意见.txt", {"signedOn": day, "parties": [unit], "decision": "approved", "approvedOn": day},
            paper("单位审批意见", "经研究，同意赋权。", "审批日期：%s" % day))


def publicity(start, end, unit, name="单位内公示记录.pdf"):
    return ("publicity-record", name, {"issuedOn": end, "parties": [unit], "startsOn": start, "endsOn": end, "objections": "none"},
            paper("单位内公示记录", "公示期：%s 至 %s" % (start, end), "公示期内未收到异议。"))


def ownership_agreement(day, unit, team, unit_share=30):
    return ("ownership-agreement", "赋权协议.pdf",
            {"signedOn": day, "parties": [unit, team], "unitShare": unit_share, "teamShare": 100 - unit_share, "clauses": CLAUSES},
            paper("赋权（共有）协议", "甲方：%s  乙方：%s" % (unit, team), "单位份额%d%%，团队份额%d%%。" % (unit_share, 100 - unit_share),
                  "约定收益分配、转化决策机制、费用分担及知识产权维持费用。", "签署日期：%s" % day))


def change_record(day, unit):
    return ("ownership-change-record", "权属变更登记.txt", {"issuedOn": day, "parties": [unit], "registry": "国家知识产权局", "recordedOn": day},
            paper("权属变更登记", "登记机关：国家知识产权局", "登记日期：%s" % day))


def reports(years, unit, final_year=None):
    docs = []
    for year in years:
        facts = {"issuedOn": "%d-03-15" % (year + 1), "parties": [unit], "year": year}
        if year == final_year: facts["final"] = True
        docs.append(("annual-report", "%d年度报告.txt" % year, facts, paper("%d年度赋权成果转化情况报告" % year, "本年度转化进展顺利。")))
    return docs


def review(day, version, classification_reviewed=False):
    return ("confidentiality-review", "保密审查意见-%s.txt" % day,
            {"signedOn": day, "parties": ["保密办公室"], "decision": "approve", "reviewer": "刘保密", "reviewedVersion": version,
             "classificationReviewed": classification_reviewed},
            paper("保密审查意见", "审查版本：%s" % version, "结论：同意。", "审查日期：%s" % day))


def main():
    if os.path.exists(OUT): shutil.rmtree(OUT)

    # 1. A clean ownership grant, licensed in the region at a publicised agreed price.
    d, title = "IMUT-2021-0007", "一种风光互补储能系统的控制方法"
    team = [("王芳", 60), ("李强", 40)]
    file(d, "团队协商一致并提出赋权申请", [consensus("2021-02-20", team, "王芳", IMUT), application("2021-02-25", "王芳", "ownership", IMUT)],
         create=record(title, "imut", "patent", "fiscal", "ownership", [{"name": "王芳", "share": 60, "representative": True}, {"name": "李强", "share": 40}]))
    file(d, "单位审批并公示", [approval("2021-02-28", IMUT), publicity("2021-03-01", "2021-03-16", IMUT)])
    file(d, "签署赋权协议，办理权属变更", [ownership_agreement("2021-03-20", IMUT, "王芳团队"), change_record("2021-05-10", IMUT)])
    company = "内蒙古某能源科技有限公司"
    file(d, "协议定价公示后签署许可合同", [
        ("appraisal-waiver", "不评估决定.txt", {"signedOn": "2022-04-20", "parties": [IMUT], "decidedOn": "2022-04-20", "decidedBy": "校长办公会"}, paper("不进行资产评估的决定", "经校长办公会研究，决定不进行资产评估。")),
        ("pricing-publicity", "协议定价公示.pdf", {"issuedOn": "2022-05-01", "parties": [IMUT], "achievementName": title, "price": 500000, "startsOn": "2022-05-01", "endsOn": "2022-05-16", "objectionChannel": "向科技成果转化办公室书面提出异议"},
         paper("协议定价公示", "成果名称：%s" % title, "拟交易价格：500000元", "公示期：2022-05-01 至 2022-05-16", "异议渠道：向科技成果转化办公室书面提出")),
        ("transfer-contract", "许可合同.pdf", {"signedOn": "2022-06-01", "parties": [IMUT, company], "mode": "license",
         "counterparty": {"name": company, "kind": "non-state", "country": "CN", "inRegion": True}, "pricing": "agreement", "price": 500000, "effectiveOn": "2022-06-01", "incomeReceivedOn": "2022-08-15"},
         paper("专利实施许可合同", "许可方：%s" % IMUT, "被许可方：%s" % company, "许可费：500000元")),
        ("tech-contract-registration", "技术合同登记.txt", {"issuedOn": "2022-06-20", "parties": ["呼和浩特市技术市场管理办公室"], "registrationNo": "150101-2022-000123"}, paper("技术合同认定登记证明", "登记号：150101-2022-000123")),
    ])
    file(d, "发放奖励；2022、2023年度报告", [
        ("reward-distribution", "奖励发放记录.txt", {"signedOn": "2022-10-10", "parties": [IMUT], "incomeReceivedOn": "2022-08-15", "paidOn": "2022-10-10", "amount": 350000,
         "recipients": [{"name": "王芳", "amount": 210000, "form": "cash"}, {"name": "李强", "amount": 140000, "form": "cash"}]}, paper("奖励发放记录", "到账日期：2022-08-15", "发放日期：2022-10-10")),
    ] + reports([2022, 2023], IMUT))
    file(d, "2024、2025年度报告", reports([2024, 2025], IMUT))

    # 2. A long-term use right, ethics-sensitive with an approving review; reviewed by the officer.
    d = "IMAAAHS-2021-0002"
    file(d, "申请长期使用权并提交转化实施方案", [application("2021-03-01", "赵敏", "long-term-use", IMAAAHS),
         ("conversion-plan", "成果转化实施方案.txt", {"signedOn": "2021-03-01", "parties": ["赵敏"]}, paper("成果转化实施方案", "拟与企业合作开展中试。"))],
         create=record("一种奶牛乳房炎快速检测试剂盒", "imaaahs", "veterinary-drug", "other", "long-term-use", [{"name": "赵敏", "share": 100, "representative": True}], ethicsSensitive=True))
    file(d, "伦理审查、单位审批并公示", [
        ("ethics-review", "科技伦理审查意见.txt", {"signedOn": "2021-03-03", "parties": ["科技伦理委员会"], "decision": "approved"}, paper("科技伦理审查意见", "结论：同意。")),
        approval("2021-03-05", IMAAAHS), publicity("2021-03-08", "2021-03-23", IMAAAHS)])
    file(d, "签署长期使用权协议", [("use-right-agreement", "长期使用权协议.pdf", {"signedOn": "2021-03-30", "parties": [IMAAAHS, "赵敏团队"], "effectiveFrom": "2021-04-01", "effectiveUntil": "2031-03-31", "revenueSplit": "单位30%，团队70%"},
         paper("长期使用权协议", "使用期限：2021-04-01 至 2031-03-31", "收益分配：单位30%，团队70%"))])
    file(d, "2022—2025年度报告", reports([2022, 2023, 2024, 2025], IMAAAHS))
    file(d, "保密审查：同意（伦理）", [review("2026-01-15", "v4")], filed_by=OFFICER)

    # 3. Classified secret, licensed after approval and pact; the 2024 classification review is missing.
    d = "IMUT-2022-0015"
    team = [("张伟", 70), ("陈静", 30)]
    file(d, "定密并提出赋权申请", [consensus("2022-01-05", team, "张伟", IMUT), application("2022-01-12", "张伟", "ownership", IMUT)],
         create=record("稀土永磁材料的低温烧结工艺", "imut", "patent", "fiscal", "ownership", [{"name": "张伟", "share": 70, "representative": True}, {"name": "陈静", "share": 30}],
                       classification="secret", secrecy={"level": "secret", "classifiedOn": "2022-01-10", "until": "2031-12-31", "readers": ["张伟", "陈静", "保密办公室"]}))
    file(d, "单位审批并公示", [approval("2022-01-20", IMUT), publicity("2022-01-24", "2022-02-10", IMUT)])
    file(d, "签署赋权协议，办理权属变更", [ownership_agreement("2022-02-15", IMUT, "张伟团队"), change_record("2022-04-01", IMUT)])
    company = "包头某稀土材料有限公司"
    file(d, "涉密审批、保密协议，挂牌交易后签署许可合同", [
        ("appraisal-report", "资产评估报告.txt", {"issuedOn": "2022-05-10", "parties": ["某资产评估有限公司"], "appraisedValue": 800000}, paper("资产评估报告", "评估值：800000元")),
        ("secrecy-approval", "涉密成果转化审批.txt", {"signedOn": "2022-05-20", "parties": ["自治区保密局"], "level": "secret", "approvedBy": "自治区保密局", "approvedOn": "2022-05-20"}, paper("涉密科技成果转化审批意见", "同意。")),
        ("confidentiality-pact", "保密协议.txt", {"signedOn": "2022-05-25", "parties": [IMUT, company], "level": "secret", "validUntil": "2031-12-31"}, paper("保密协议", "密级：秘密")),
        ("listing-record", "挂牌交易记录.txt", {"issuedOn": "2022-05-28", "parties": ["内蒙古自治区技术交易市场"], "venue": "内蒙古自治区技术交易市场", "dealOn": "2022-05-28"}, paper("技术交易市场挂牌记录", "成交日期：2022-05-28")),
        ("transfer-contract", "许可合同.txt", {"signedOn": "2022-06-01", "parties": [IMUT, company], "mode": "license",
         "counterparty": {"name": company, "kind": "non-state", "country": "CN", "inRegion": True}, "pricing": "listing", "price": 820000}, paper("专利实施许可合同", "被许可方：%s" % company)),
    ])
    file(d, "保密审查：同意转化", [review("2022-06-20", "v4")], filed_by=OFFICER)
    file(d, "2023年度报告；年度定密复核", reports([2023], IMUT) + [review("2023-12-10", "v5", True)], filed_by=OFFICER)
    file(d, "2024、2025年度报告；年度定密复核", reports([2024, 2025], IMUT) + [review("2025-11-30", "v6", True)], filed_by=OFFICER)

    # 4. Transferred abroad (restricted technology, licence and intent in order); reviewed.
    d, title = "IMUT-2022-0031", "高效煤化工催化剂及其制备方法"
    team = [("刘洋", 50), ("孙丽", 50)]
    file(d, "团队协商一致并提出赋权申请", [consensus("2022-03-01", team, "刘洋", IMUT), application("2022-03-05", "刘洋", "ownership", IMUT)],
         create=record(title, "imut", "patent", "entrusted", "ownership", [{"name": "刘洋", "share": 50, "representative": True}, {"name": "孙丽", "share": 50}]))
    file(d, "单位审批并公示", [approval("2022-03-10", IMUT), publicity("2022-03-14", "2022-03-29", IMUT)])
    file(d, "签署赋权协议，办理权属变更", [ownership_agreement("2022-04-05", IMUT, "刘洋团队", 40), change_record("2022-05-20", IMUT)])
    company = "Rheinkat Chemie GmbH"
    file(d, "技术出口审批后向境外转让", [
        ("appraisal-waiver", "不评估决定.txt", {"signedOn": "2023-02-01", "parties": [IMUT], "decidedOn": "2023-02-01", "decidedBy": "校长办公会"}, paper("不进行资产评估的决定", "同意不评估。")),
        ("export-control-approval", "技术出口审批.txt", {"issuedOn": "2023-02-10", "parties": ["商务部"], "category": "restricted", "destination": "DE", "licenceNo": "EX-2023-0042", "validUntil": "2024-12-31"}, paper("限制出口技术审批意见", "目的国：德国")),
        ("export-licence-intent", "技术出口许可意向书.txt", {"issuedOn": "2023-02-15", "parties": ["商务部"], "destination": "DE"}, paper("技术出口许可意向书", "目的国：德国")),
        ("pricing-publicity", "协议定价公示.pdf", {"issuedOn": "2023-02-20", "parties": [IMUT], "achievementName": title, "price": 2000000, "startsOn": "2023-02-20", "endsOn": "2023-03-08", "objectionChannel": "向科技处书面提出"},
         paper("协议定价公示", "成果名称：%s" % title, "拟交易价格：2000000元", "公示期：2023-02-20 至 2023-03-08")),
        ("transfer-contract", "技术转让合同.txt", {"signedOn": "2023-03-20", "parties": [IMUT, company], "mode": "transfer",
         "counterparty": {"name": company, "kind": "non-state", "country": "DE", "inRegion": False}, "pricing": "agreement", "price": 2000000, "effectiveOn": "2023-04-10"}, paper("技术转让合同", "受让方：%s" % company)),
        ("export-licence", "技术出口许可证.txt", {"issuedOn": "2023-04-10", "parties": ["商务部"], "licenceNo": "XK-2023-0042", "destination": "DE", "validUntil": "2028-04-10"}, paper("技术出口许可证", "许可证号：XK-2023-0042")),
    ])
    file(d, "2023—2025年度报告", reports([2023, 2024, 2025], IMUT))
    file(d, "保密审查：同意（出口）", [review("2026-02-01", "v5")], filed_by=OFFICER)

    # 5. Later found to touch national interests: flagged EXCLUDED, and the grant is an error.
    d = "IMAAAHS-2022-0008"
    team = [("巴特尔", 55), ("乌云", 45)]
    file(d, "团队协商一致并提出赋权申请", [consensus("2022-06-01", team, "巴特尔", IMAAAHS), application("2022-06-05", "巴特尔", "ownership", IMAAAHS)],
         create=record("草原生态修复的复合菌剂", "imaaahs", "technical-secret", "fiscal", "ownership", [{"name": "巴特尔", "share": 55, "representative": True}, {"name": "乌云", "share": 45}]))
    file(d, "单位审批并公示", [approval("2022-06-10", IMAAAHS), publicity("2022-06-13", "2022-06-28", IMAAAHS)])
    file(d, "签署赋权协议，办理权属变更", [ownership_agreement("2022-07-05", IMAAAHS, "巴特尔团队"), change_record("2022-08-01", IMAAAHS)])
    file(d, "安全审查认定涉及生态安全；2023—2025年度报告", reports([2023, 2024, 2025], IMAAAHS), update={"nationalInterest": True})

    # 6. The legal-person head's equity reward without approval, a 14-day publicity, a late reward.
    d = "IMUT-2023-0004"
    team = [("高峰", 40), ("周婷", 40), ("吴磊", 20)]
    file(d, "团队协商一致并提出赋权申请", [consensus("2023-03-01", team, "周婷", IMUT), application("2023-03-06", "周婷", "ownership", IMUT)],
         create=record("羊绒纤维智能分梳装置", "imut", "patent", "fiscal", "ownership",
                       [{"name": "高峰", "role": "校长", "share": 40, "legalHead": True}, {"name": "周婷", "share": 40, "representative": True}, {"name": "吴磊", "share": 20}]))
    file(d, "单位审批并公示", [approval("2023-03-10", IMUT), publicity("2023-03-13", "2023-03-27", IMUT, "公示.pdf")])
    file(d, "签署赋权协议，办理权属变更", [ownership_agreement("2023-04-03", IMUT, "周婷团队"), change_record("2023-05-15", IMUT)])
    company = "鄂尔多斯某羊绒制品有限公司"
    file(d, "拍卖后作价投资", [
        ("appraisal-report", "资产评估报告.txt", {"issuedOn": "2023-08-10", "parties": ["某资产评估有限公司"], "appraisedValue": 2800000}, paper("资产评估报告", "评估值：2800000元")),
        ("listing-record", "拍卖记录.txt", {"issuedOn": "2023-08-25", "parties": ["内蒙古自治区技术交易市场"], "venue": "内蒙古自治区技术交易市场", "dealOn": "2023-08-25"}, paper("拍卖成交记录", "成交价：3000000元")),
        ("transfer-contract", "作价投资协议.txt", {"signedOn": "2023-09-01", "parties": [IMUT, company], "mode": "investment",
         "counterparty": {"name": company, "kind": "non-state", "country": "CN", "inRegion": True}, "pricing": "auction", "price": 3000000}, paper("作价投资协议", "投资方：%s" % IMUT)),
    ])
    file(d, "发放奖励（含正职领导股权奖励）", [
        ("reward-distribution", "奖励发放记录.txt", {"signedOn": "2024-03-15", "parties": [IMUT], "incomeReceivedOn": "2023-10-01", "paidOn": "2024-03-15", "amount": 900000,
         "recipients": [{"name": "高峰", "amount": 300000, "form": "equity", "legalHead": True}, {"name": "周婷", "amount": 400000, "form": "cash"}, {"name": "吴磊", "amount": 200000, "form": "cash"}]},
         paper("奖励发放记录", "收入到账：2023-10-01", "发放日期：2024-03-15", "高峰（校长）：股权奖励"))])
    file(d, "2024、2025年度报告", reports([2024, 2025], IMUT))

    # 7. A use right first converted outside the region; the 2025 report is missing.
    d, title = "IMAAAHS-2023-0011", "抗旱马铃薯新品种“蒙薯21号”"
    file(d, "申请长期使用权并提交转化实施方案", [application("2023-02-01", "李娜", "long-term-use", IMAAAHS),
         ("conversion-plan", "成果转化实施方案.txt", {"signedOn": "2023-02-01", "parties": ["李娜"]}, paper("成果转化实施方案", "繁育推广。"))],
         create=record(title, "imaaahs", "plant-variety", "fiscal", "long-term-use", [{"name": "李娜", "share": 100, "representative": True}]))
    file(d, "单位审批并公示", [approval("2023-02-10", IMAAAHS), publicity("2023-02-13", "2023-02-28", IMAAAHS)])
    file(d, "签署长期使用权协议", [("use-right-agreement", "长期使用权协议.txt", {"signedOn": "2023-03-05", "parties": [IMAAAHS, "李娜团队"], "effectiveFrom": "2023-03-10", "effectiveUntil": "2033-03-09", "revenueSplit": "单位20%，团队80%"},
         paper("长期使用权协议", "使用期限：2023-03-10 至 2033-03-09"))])
    company = "北京某种业有限公司"
    file(d, "协议定价公示后许可区外企业", [
        ("appraisal-waiver", "不评估决定.txt", {"signedOn": "2023-04-28", "parties": [IMAAAHS], "decidedOn": "2023-04-28", "decidedBy": "院长办公会"}, paper("不进行资产评估的决定", "同意不评估。")),
        ("pricing-publicity", "协议定价公示.txt", {"issuedOn": "2023-05-04", "parties": [IMAAAHS], "achievementName": title, "price": 300000, "startsOn": "2023-05-04", "endsOn": "2023-05-19", "objectionChannel": "向成果转化处书面提出"}, paper("协议定价公示", "拟交易价格：300000元")),
        ("transfer-contract", "品种权许可合同.txt", {"signedOn": "2023-06-01", "parties": [IMAAAHS, company], "mode": "license",
         "counterparty": {"name": company, "kind": "non-state", "country": "CN", "inRegion": False}, "pricing": "agreement", "price": 300000}, paper("植物新品种权实施许可合同", "被许可方：%s" % company)),
    ])
    file(d, "2024年度报告", reports([2024], IMAAAHS))

    # 8. A clean ownership grant approved at the end of the pilot window.
    d = "IMUT-2023-0019"
    file(d, "团队协商一致并提出赋权申请", [consensus("2023-12-15", [("马超", 100)], "马超", IMUT), application("2023-12-20", "马超", "ownership", IMUT)],
         create=record("一种稀土抛光粉回收方法", "imut", "patent", "fiscal", "ownership", [{"name": "马超", "share": 100, "representative": True}]))
    file(d, "单位审批并公示", [approval("2023-12-28", IMUT), publicity("2024-01-02", "2024-01-17", IMUT)])
    file(d, "签署赋权协议，办理权属变更", [ownership_agreement("2024-01-22", IMUT, "马超"), change_record("2024-03-01", IMUT)])
    file(d, "2024、2025年度报告", reports([2024, 2025], IMUT))


main()
