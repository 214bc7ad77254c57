"""The national default rubric of 行政执法案卷评查, loaded into ``RubricItem`` (unit empty) by a data
migration; a county adds or replaces items with rows of its own (same 序号 replaces, a new 序号 adds).

There is no national 评查标准. The 基本标准 (a file failing one is 不合格 whatever its score) are the
grounds on which a court annuls an administrative act (《中华人民共和国行政诉讼法》第七十条) and on which a
penalty is void (《中华人民共和国行政处罚法》第三十八条); the 扣分项 and their points follow the common
practice of the provinces' 行政执法案卷评查标准 (provincial practice, not national law: a county adjusts
them to its province's standard)."""

from __future__ import annotations

# (序号, 类别, 评查项目, 扣分, 依据); 扣分 0 marks a 基本标准 (否决项)
VETOES = [
    (1, "执法主体", "执法主体不合法（不具有行政主体资格，或者执法人员不具备执法资格）", "0",
     "《中华人民共和国行政处罚法》第三十八条第一款；《中华人民共和国行政诉讼法》第七十条"),
    (2, "执法主体", "超越职权或者滥用职权", "0", "《中华人民共和国行政诉讼法》第七十条第（四）、（五）项"),
    (3, "事实证据", "认定事实不清，主要证据不足", "0", "《中华人民共和国行政诉讼法》第七十条第（一）项"),
    (4, "法律适用", "适用法律、法规、规章错误", "0", "《中华人民共和国行政诉讼法》第七十条第（二）项"),
    (5, "执法程序", "严重违反法定程序", "0",
     "《中华人民共和国行政处罚法》第三十八条第二款；《中华人民共和国行政诉讼法》第七十条第（三）项"),
    (6, "处理结果", "处理结果明显不当", "0", "《中华人民共和国行政诉讼法》第七十条第（六）项"),
]  # fmt: skip

DEDUCTIONS = [
    (11, "立案", "未按规定立案，或者立案审批手续不全", "2", "各省案卷评查标准（通行做法）"),
    (12, "调查取证", "调查取证时执法人员少于两人或者未出示执法证件", "3",
     "《中华人民共和国行政处罚法》第四十二条"),
    (13, "调查取证", "证据未注明来源、收集时间，或者缺少当事人签名", "2", "各省案卷评查标准（通行做法）"),
    (14, "审查决定", "未告知陈述、申辩权或者听证权，程序瑕疵尚未构成严重违法", "5",
     "《中华人民共和国行政处罚法》第四十四条、第六十三条"),
    (15, "审查决定", "重大执法决定未经法制审核或者审核记录不全", "5",
     "《中华人民共和国行政处罚法》第五十八条；国办发〔2018〕118号"),
    (16, "审查决定", "决定书未载明事实、理由、依据、履行方式或者救济途径", "2",
     "《中华人民共和国行政处罚法》第五十九条"),
    (17, "送达执行", "送达方式不符合规定或者缺少送达回证", "2", "各省案卷评查标准（通行做法）"),
    (18, "送达执行", "超过法定办案期限且无延期审批", "3", "《中华人民共和国行政处罚法》第六十条"),
    (19, "送达执行", "决定未执行到位或者未按规定结案", "2", "各省案卷评查标准（通行做法）"),
    (20, "文书归档", "文书格式不规范、填写不完整或者有涂改", "1", "各省案卷评查标准（通行做法）"),
    (21, "文书归档", "案卷未按规定装订归档，卷内目录或者备考表不全", "1", "各省案卷评查标准（通行做法）"),
    (22, "执法公示", "未按规定公示执法决定", "1", "国办发〔2018〕118号（行政执法公示制度）"),
]  # fmt: skip


def national_items(model):
    """The national default as unsaved ``model`` rows (``model``: RubricItem, or its historical version
    in a migration)."""
    from decimal import Decimal

    rows = [(*row, True) for row in VETOES] + [(*row, False) for row in DEDUCTIONS]
    return [
        model(unit=None, number=number, category=category, text=text, points=Decimal(points), source=source,
              veto=veto)
        for number, category, text, points, source, veto in rows
    ]  # fmt: skip


def seed_national_rubric(model) -> int:
    """Write the national default items that are not there yet; how many were written."""
    have = set(model.objects.filter(unit__isnull=True).values_list("number", flat=True))
    missing = [item for item in national_items(model) if item.number not in have]
    model.objects.bulk_create(missing)
    return len(missing)
