#!/usr/bin/env python3
"""Seeded synthetic corpus of branch brands in brandsite's own content format.

    python bench/gen_branches.py N DIR [--seed S]

writes a complete site source tree (see shared/spec/content-format.md):

    DIR/data/site.yaml         title, owner, base path, footer, nav, languages
    DIR/data/units.yaml        20 fictional courts and Party committees
    DIR/data/metrics.yaml      the statistics vocabulary: units, aliases (one of them in
                               Traditional script per entry), totals, percentage metrics
    DIR/content/branches/*.md  N branch files: 1,500-2,500 CJK characters of Markdown body
                               (headings, a list, a table, links), 3-6 stats in the forms
                               Chinese reports use (65次, 180余次, 近3000, 3.4万件,
                               9337.42万元, 99%, 十四), honors with levels, milestones,
                               1-4 of 40 tags; ~5 % in Traditional script, ~1 % drafts,
                               30 % without ``slug:``
    DIR/content/news/*.md      a few dated activity reports naming existing brands
    DIR/content/pages/about.md one free page
    DIR/manifest.json          the parameters and counts

Everything is drawn from one ``random.Random(seed)`` stream and written with "\\n" line
ends in UTF-8, so the same N and seed give byte-identical files. Standard library only.

Brand names are unique even after Simplified/Traditional folding and pinyin: every name
ends in a running number (法官妈妈第12号), so the pinyin slug brandsite derives for a
file without ``slug:`` (faguan-mamadi-12-hao) can never equal another one, and the
explicit slugs written for the other 70 % (faguan-mama-12) never end in ``-hao``.

All names, places, people and figures are invented for this benchmark.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

GENERATOR_VERSION = 1
DEFAULT_SEED = 20241121
MARKER = "manifest.json"

# ----------------------------------------------------------------------------- vocabulary
# (hanzi, pinyin) -- the pinyin is only used for the explicit slugs, so it need not agree
# with pypinyin; it only has to be lowercase ASCII.
BRAND_A: list[tuple[str, str]] = [
    ("红色", "hongse"), ("天平", "tianping"), ("枫桥", "fengqiao"), ("法官", "faguan"), ("初心", "chuxin"),
    ("先锋", "xianfeng"), ("阳光", "yangguang"), ("暖心", "nuanxin"), ("青春", "qingchun"), ("匠心", "jiangxin"),
    ("石榴", "shiliu"), ("草原", "caoyuan"), ("黄河", "huanghe"), ("星火", "xinghuo"), ("春风", "chunfeng"),
    ("明镜", "mingjing"), ("清风", "qingfeng"), ("丹心", "danxin"), ("公正", "gongzheng"), ("护苗", "humiao"),
    ("马背", "mabei"), ("巡回", "xunhui"), ("调解", "tiaojie"), ("金秤", "jincheng"), ("玉兰", "yulan"),
    ("胡杨", "huyang"), ("雪莲", "xuelian"), ("白杨", "baiyang"), ("灯塔", "dengta"), ("磐石", "panshi"),
    ("山海", "shanhai"), ("运河", "yunhe"), ("古城", "gucheng"), ("绿洲", "lvzhou"), ("稻香", "daoxiang"),
    ("茶乡", "chaxiang"), ("渔港", "yugang"), ("边关", "bianguan"), ("乡村", "xiangcun"), ("社区", "shequ"),
    ("校园", "xiaoyuan"), ("同心", "tongxin"), ("连心", "lianxin"), ("知心", "zhixin"), ("守正", "shouzheng"),
    ("明理", "mingli"), ("释法", "shifa"), ("驼铃", "tuoling"), ("雄鹰", "xiongying"), ("彩云", "caiyun"),
]
BRAND_B: list[tuple[str, str]] = [
    ("妈妈", "mama"), ("驿站", "yizhan"), ("讲堂", "jiangtang"), ("课堂", "ketang"), ("之家", "zhijia"),
    ("工坊", "gongfang"), ("卫士", "weishi"), ("护航", "huhang"), ("法庭", "fating"), ("使者", "shizhe"),
    ("桥梁", "qiaoliang"), ("明灯", "mingdeng"), ("园丁", "yuanding"), ("旗帜", "qizhi"), ("堡垒", "baolei"),
    ("纽带", "niudai"), ("守护", "shouhu"), ("之声", "zhisheng"), ("团队", "tuandui"), ("方舟", "fangzhou"),
    ("热线", "rexian"), ("轻骑", "qingqi"), ("先锋", "xianfeng"), ("书屋", "shuwu"), ("港湾", "gangwan"),
]
BRAND_C: list[tuple[str, str]] = [
    ("工作室", "gongzuoshi"), ("服务站", "fuwuzhan"), ("宣讲团", "xuanjiangtuan"), ("示范岗", "shifangang"),
    ("志愿队", "zhiyuandui"), ("调解室", "tiaojieshi"), ("联络站", "lianluozhan"), ("先锋队", "xianfengdui"),
]

UNITS: list[tuple[str, str, str, str]] = [
    ("anlan-high", "安澜省高级人民法院", "高级法院", "安澜省"),
    ("anlan-high-jgdw", "安澜省高级人民法院机关党委", "机关党委", "安澜省"),
    ("qinghe-intermediate", "清禾市中级人民法院", "中级法院", "安澜省清禾市"),
    ("yunxi-intermediate", "云溪市中级人民法院", "中级法院", "安澜省云溪市"),
    ("baiyun-intermediate", "白云市中级人民法院", "中级法院", "安澜省白云市"),
    ("shiqiao", "石桥县人民法院", "基层法院", "安澜省清禾市"),
    ("bailu", "白鹭县人民法院", "基层法院", "安澜省清禾市"),
    ("heyang", "河阳县人民法院", "基层法院", "安澜省清禾市"),
    ("qinghe-nancheng", "清禾市南城区人民法院", "基层法院", "安澜省清禾市"),
    ("qinghe-beihu", "清禾市北湖区人民法院", "基层法院", "安澜省清禾市"),
    ("yunxi-xishan", "云溪市西山区人民法院", "基层法院", "安澜省云溪市"),
    ("yunxi-dongpo", "云溪市东坡区人民法院", "基层法院", "安澜省云溪市"),
    ("taoyuan", "桃源县人民法院", "基层法院", "安澜省云溪市"),
    ("lianhua", "莲花县人民法院", "基层法院", "安澜省白云市"),
    ("caoyuan-qi", "草原旗人民法院", "基层法院", "安澜省白云市"),
    ("shamo", "沙漠县人民法院", "基层法院", "安澜省白云市"),
    ("shiqiao-hongqi", "石桥县人民法院红旗人民法庭", "人民法庭", "安澜省清禾市石桥县"),
    ("bailu-hupan", "白鹭县人民法院湖畔人民法庭", "人民法庭", "安澜省清禾市白鹭县"),
    ("taoyuan-chaxiang", "桃源县人民法院茶乡人民法庭", "人民法庭", "安澜省云溪市桃源县"),
    ("caoyuan-mabei", "草原旗人民法院马背法庭", "人民法庭", "安澜省白云市草原旗"),
]


@dataclass(frozen=True)
class Metric:
    name: str
    unit: str | None  # "%" for percentages
    aliases: tuple[str, ...]  # the last one is written in Traditional script
    total: str
    kind: str  # how values are drawn: count | big | money | small | percent


METRICS: list[Metric] = [
    Metric("普法宣传", "次", ("法治宣传", "送法下乡", "普法宣傳"), "sum", "count"),
    Metric("法治讲堂", "次", ("法治课堂", "法治講堂"), "sum", "count"),
    Metric("化解纠纷", "件", ("诉前调解", "化解矛盾纠纷", "化解糾紛"), "sum", "big"),
    Metric("审结案件", "件", ("审执结案件", "審結案件"), "sum", "big"),
    Metric("执行到位金额", "元", ("执行到位款", "執行到位金額"), "sum", "money"),
    Metric("志愿服务时长", "小时", ("志愿服务", "志願服務時長"), "sum", "count"),
    Metric("宣讲团成员", "名", ("宣讲员", "宣講團成員"), "max", "small"),
    Metric("服务群众", "人次", ("接待群众", "服務群眾"), "sum", "big"),
    Metric("巡回审判", "次", ("巡回办案", "巡迴審判"), "sum", "count"),
    Metric("司法建议", "份", ("发送司法建议", "司法建議"), "sum", "small"),
    Metric("结对帮扶", "户", ("帮扶困难群众", "結對幫扶"), "sum", "small"),
    Metric("党员先锋岗", "个", ("示范岗", "黨員先鋒崗"), "max", "small"),
    Metric("群众满意度", "%", ("满意率", "群眾滿意度"), "latest", "percent"),
    Metric("调解成功率", "%", ("调解率", "調解成功率"), "latest", "percent"),
    Metric("结案率", "%", ("审结率", "結案率"), "latest", "percent"),
]
#: free-text metrics (not in metrics.yaml: `check` warns, totals skip them); one unit each
FREE_METRICS: list[tuple[str, str]] = [
    ("开展主题党日", "次"), ("撰写调研文章", "篇"), ("举办读书分享会", "场"), ("制作普法短视频", "部"),
]

TAGS: list[str] = [
    "未成年人保护", "普法宣传", "诉源治理", "多元解纷", "枫桥经验", "巡回审判", "马背法庭", "家事审判",
    "执行攻坚", "优化营商环境", "乡村振兴", "民族团结", "青年干警", "志愿服务", "法治进校园", "法治进社区",
    "司法为民", "党建引领", "作风建设", "廉政文化", "智慧法院", "一站式诉讼服务", "生态环境保护", "劳动者权益",
    "妇女儿童权益", "老年人权益", "退役军人", "少数民族", "人民法庭", "调解平台", "案例宣讲", "红色教育",
    "理论学习", "书香法院", "法官工作室", "社会治理", "矛盾化解", "便民服务", "双语审判", "队伍建设",
]
assert len(TAGS) == 40 and len(set(TAGS)) == 40

BRANCH_NAMES: list[str] = (
    [f"第{n}党支部" for n in "一二三四五六七八九十"]
    + ["立案庭党支部", "刑事审判第一庭党支部", "民事审判第一庭党支部", "民事审判第二庭党支部", "行政审判庭党支部",
       "执行局党支部", "审判管理办公室党支部", "综合办公室党支部", "政治部党支部", "人民法庭联合党支部",
       "少年家事审判庭党支部", "司法警察支队党支部", "机关第一党支部", "机关第二党支部"]
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚"

SLOGAN_A = ["用心用情", "以案释法", "司法为民", "守正创新", "公正高效", "用母亲的温度", "把法庭搬到群众家门口",
            "扎根基层", "党建引领", "情理法融合", "让群众少跑腿", "用法治守护", "做群众的贴心人"]
SLOGAN_B = ["守护未成年人成长", "让公平正义看得见", "护航经济高质量发展", "点亮群众心中的法治明灯", "架起党群连心桥",
            "服务乡村振兴", "守护一方平安", "传递司法温度", "化解千家万户的烦心事", "促进民族团结进步"]

SECTION_TITLES = ["品牌缘起", "品牌内涵", "主要做法", "工作成效", "特色亮点", "典型案例", "经验启示", "下一步打算"]
OPENERS = ["近年来，", "自品牌创建以来，", "在院党组的坚强领导下，", "今年以来，", "立足辖区实际，", "围绕中心工作，",
           "坚持党建引领，", ""]
SUBJECTS = ["支部全体党员", "青年干警", "支部书记", "审判团队", "党员法官", "支部委员会", "宣讲团成员", "党员志愿者",
            "法官助理和书记员", "全庭干警"]
VERBS = ["深入开展", "扎实推进", "积极探索", "持续深化", "认真落实", "创新开展", "全面推行", "精心组织", "常态化开展",
         "统筹推进"]
OBJECTS = ["诉源治理工作", "多元解纷机制建设", "“法治进校园”活动", "普法宣传进社区活动", "“枫桥式”人民法庭创建",
           "党建与审判业务深度融合", "巡回审判", "矛盾纠纷源头化解", "执行攻坚专项行动", "司法为民便民利民举措",
           "“三会一课”制度", "主题党日活动", "法官进网格工作", "青年理论学习小组建设", "“一站式”诉讼服务",
           "联村联户结对帮扶", "廉政警示教育"]
RESULTS = ["，切实把党的政治优势转化为推动审判工作的发展优势。", "，取得了良好的政治效果、法律效果和社会效果。",
           "，努力让人民群众在每一个司法案件中感受到公平正义。", "，有效推动矛盾纠纷实质性化解。",
           "，群众的获得感、幸福感、安全感不断增强。", "，为辖区经济社会发展提供了有力司法服务和保障。",
           "，支部的凝聚力和战斗力显著提升。", "，形成了可复制、可推广的经验做法。"]
CASE_TYPES = ["赡养纠纷案件", "土地承包经营权纠纷", "民间借贷纠纷", "劳动争议案件", "相邻关系纠纷", "离婚纠纷案件",
              "物业服务合同纠纷", "机动车交通事故责任纠纷", "追索劳动报酬纠纷", "买卖合同纠纷"]
ACTIONS = ["多次走访双方当事人", "邀请村“两委”成员共同参与调解", "把法庭“搬”到田间地头", "耐心细致地释法析理",
           "联合人民调解员开展背靠背调解", "通过视频连线开展线上调解", "带着卷宗走进牧民家中"]
OUTCOMES = ["双方当场达成调解协议", "当事人握手言和", "案件得以案结事了人和", "原告主动撤回起诉",
            "双方签订和解协议并当场履行", "拖欠多年的款项全部执行到位"]
PLACES = ["康宁社区", "第五小学", "红旗村", "滨河街道", "工业园区", "牧民新村", "老年公寓", "职业技术学院",
          "易地扶贫搬迁安置点", "实验中学", "农贸市场"]
ACTIVITIES = ["宪法宣讲", "法治讲座", "以案释法活动", "模拟法庭活动", "巡回审判", "送法下乡活动", "主题党日活动",
              "结对共建活动", "法律咨询服务", "禁毒宣传"]
LIST_HEADS = ["强化政治引领", "健全工作机制", "打造特色阵地", "锻造过硬队伍", "深化联动共建", "创新宣传载体",
              "延伸服务触角", "注重成果转化", "突出以案促治", "坚持数字赋能"]
HONOR_TITLES = ["先进基层党组织", "“五好”党支部", "新时代党建工作创新案例", "青年文明号", "巾帼文明岗", "最佳党建品牌",
                "优秀共产党员示范岗", "法治宣传教育先进集体", "人民满意的政法单位", "集体一等功", "模范法庭",
                "多元解纷优秀案例", "学习型党组织"]
#: (canonical level, an alias editors write, title prefix, awarding bodies)
HONOR_LEVELS: list[tuple[str, str, str, list[str]]] = [
    ("国家级", "全国", "全国法院", ["最高人民法院", "中华全国妇女联合会", "共青团中央"]),
    ("省级", "全省", "全省法院", ["安澜省高级人民法院", "中共安澜省委政法委员会"]),
    ("市级", "全市", "全市", ["中共清禾市委", "中共云溪市委", "清禾市中级人民法院"]),
    ("县级", "全县", "全县", ["中共石桥县委", "中共白鹭县委"]),
    ("院级", "本院", "院", ["院党组", "院机关党委"]),
]
EXT_LINKS = [("最高人民法院", "https://www.court.gov.cn/"), ("中国法院网", "https://www.chinacourt.org/"),
             ("人民法院报", "https://rmfyb.chinacourt.org/")]

# Simplified -> Traditional for characters of the vocabulary above (each pair also folds
# back with OpenCC's t2s, so names and metric aliases keep their identity). Characters
# not listed are the same in both scripts or simply stay as they are.
_S2T_PAIRS = (
    "妈媽 驿驛 讲講 团團 卫衛 护護 桥橋 灯燈 垒壘 纽紐 队隊 轻輕 骑騎 号號 书書 岗崗 调調 联聯 实實 愿願 阳陽 红紅 "
    "镜鏡 马馬 审審 兰蘭 杨楊 莲蓮 运運 绿綠 乡鄉 渔漁 边邊 关關 区區 园園 连連 贴貼 释釋 驼駝 铃鈴 鹰鷹 云雲 "
    "声聲 帜幟 热熱 线線 递遞 门門 开開 务務 范範 践踐 风風 见見 让讓 温溫 长長 为為 众眾 办辦 难難 题題 进進 "
    "发發 经經 济濟 质質 点點 梦夢 时時 写寫 传傳 烦煩 营營 环環 兴興 结結 层層 党黨 领領 态態 来來 创創 组組 "
    "坚堅 强強 导導 统統 专專 项項 动動 员員 们們 记記 会會 课課 围圍 绕繞 业業 头頭 执執 举舉 网網 习習 论論 "
    "诉訴 讼訟 户戶 帮幫 转轉 优優 势勢 个個 纠糾 纷紛 获獲 显顯 复複 广廣 验驗 当當 养養 权權 贷貸 劳勞 争爭 "
    "议議 邻鄰 系係 离離 车車 机機 责責 报報 买買 卖賣 费費 访訪 请請 两兩 参參 与與 间間 细細 视視 频頻 场場 "
    "达達 协協 归歸 还還 宁寧 学學 滨濱 农農 贸貿 职職 术術 贫貧 迁遷 宪憲 拟擬 询詢 阵陣 锻鍛 过過 载載 体體 "
    "触觸 数數 赋賦 级級 荣榮 誉譽 绩績 计計 盖蓋 万萬 余餘 这這 话話 挂掛 说說 对對 将將 继繼 续續 从從 后後 "
    "观觀 处處 总總 则則 况況 样樣 标標 准準 规規 产產 满滿 资資 亿億 干幹 终終 辖轄 欢歡 织織 义義 设設 认認 "
    "双雙 扬揚 极極 筹籌 际際 枫楓 综綜 签簽 带帶 赡贍 启啟 缘緣 亲親 国國 县縣 络絡 湾灣 锋鋒 帼幗 妇婦 鹭鷺 "
    "黄黃 读讀 单單 额額 儿兒 军軍 语語 决決 护護 颗顆 汇匯 鉴鑒 伟偉 紧緊 严嚴 厅廳 纪紀 检檢 营營 团團 岁歲"
)
S2T: dict[str, str] = {p[0]: p[1] for p in _S2T_PAIRS.split()}
S2T_PHRASES = [("巡回", "巡迴")]  # 回 stays 回 elsewhere (撤回)


def to_trad(text: str) -> str:
    for s, t in S2T_PHRASES:
        text = text.replace(s, t)
    return "".join(S2T.get(c, c) for c in text)


CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1..99 as Chinese numerals: 十四, 二十八."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def cjk_len(text: str) -> int:
    return sum(1 for c in text if "\u4e00" <= c <= "\u9fff")


# ----------------------------------------------------------------------------- YAML scalars
_PLAIN_OK = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^#:\[\]{},\"]*$")
_LOOKS_TYPED = re.compile(r"^(?:[-+]?[0-9][0-9_.:eE+-]*|true|false|yes|no|on|off|null|~|y|n)$", re.I)


def yscalar(v: object) -> str:
    """A YAML scalar: plain where unambiguous, double-quoted otherwise."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    s = str(v)
    if _PLAIN_OK.match(s) and not _LOOKS_TYPED.match(s) and s == s.strip() and "：" not in s:
        return s
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ----------------------------------------------------------------------------- the model
@dataclass
class Stat:
    metric: str
    value: str | int
    unit: str | None
    year: int | None


@dataclass
class Branch:
    i: int
    brand: str
    slug: str
    write_slug: bool
    trad: bool
    draft: bool
    branch: str = ""
    unit: str = ""
    slogan: str = ""
    founded: str = ""
    secretary: str = ""
    members: int | None = None
    tags: list[str] = field(default_factory=list)
    order: int | None = None
    summary: str | None = None
    stats: list[Stat] = field(default_factory=list)
    honors: list[dict[str, Any]] = field(default_factory=list)
    milestones: list[tuple[str, str]] = field(default_factory=list)
    body: str = ""


class Gen:
    def __init__(self, n: int, seed: int) -> None:
        self.n = n
        self.r = random.Random(seed)
        self.branches: list[Branch] = []

    def tr(self, b: Branch, text: str) -> str:
        return to_trad(text) if b.trad else text

    # -- one branch's front matter ----------------------------------------------------
    def make_branch(self, i: int) -> Branch:
        r = self.r
        parts = [r.choice(BRAND_A), r.choice(BRAND_B)]
        if r.random() < 0.3:
            parts.append(r.choice(BRAND_C))
        name = "".join(p[0] for p in parts) + f"第{i}号"
        slug = "-".join(p[1] for p in parts) + f"-{i}"
        trad = r.random() < 0.05
        b = Branch(i=i, brand=to_trad(name) if trad else name, slug=slug, write_slug=r.random() >= 0.3,
                   trad=trad, draft=r.random() < 0.01)
        b.branch = self.tr(b, r.choice(BRANCH_NAMES))
        b.unit = r.choice(UNITS)[0]
        b.slogan = self.tr(b, r.choice(SLOGAN_A) + "，" + r.choice(SLOGAN_B))
        year = r.randint(2008, 2024)
        fk = r.random()
        b.founded = (str(year) if fk < 0.5 else f"{year}-{r.randint(1, 12):02d}" if fk < 0.85
                     else f"{year}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}")
        b.secretary = r.choice(SURNAMES) + ("某" if r.random() < 0.7 else "某某")
        b.members = r.randint(3, 60) if r.random() < 0.85 else None
        b.tags = [self.tr(b, t) for t in r.sample(TAGS, r.randint(1, 4))]
        b.order = r.randint(1, 100) if r.random() < 0.1 else None
        for m in r.sample(METRICS, r.randint(3, 6)):
            label = m.name if r.random() < 0.7 else r.choice(m.aliases)
            value, unit = self.stat_value(m)
            b.stats.append(Stat(self.tr(b, label), value, unit, r.randint(2019, 2025) if r.random() < 0.9 else None))
        if r.random() < 0.05:
            fname, funit = r.choice(FREE_METRICS)
            n = r.randint(5, 120)
            b.stats.append(Stat(fname, f"{n}{funit}" if r.random() < 0.5 else n,
                                None if r.random() < 0.5 else funit, r.randint(2019, 2025)))
            if isinstance(b.stats[-1].value, int):
                b.stats[-1].unit = funit  # a bare number needs its unit: one unit per metric
        for _ in range(r.choice([0, 0, 1, 1, 1, 2, 2, 3, 4])):
            level, alias, prefix, bodies = r.choice(HONOR_LEVELS)
            h: dict[str, Any] = {"title": self.tr(b, prefix + r.choice(HONOR_TITLES)),
                                 "level": alias if r.random() < 0.2 else level, "year": r.randint(2012, 2025)}
            if r.random() < 0.6:
                h["by"] = self.tr(b, r.choice(bodies))
            b.honors.append(h)
        for _ in range(r.choice([0, 1, 2, 3, 4, 5])):
            y = r.randint(max(year, 2010), 2025)
            mo = r.randint(1, 12)
            dk = r.random()
            date = (f"{y}-{mo:02d}" if dk < 0.6 else f"{y}-{mo:02d}-{r.randint(1, 28):02d}" if dk < 0.85
                    else str(y) if dk < 0.95 else f"{y}年{mo}月{r.randint(1, 28)}日")
            text = r.choice([f"走进{r.choice(PLACES)}开展{r.choice(ACTIVITIES)}",
                             f"与{r.choice(PLACES)}党支部签订结对共建协议",
                             f"品牌获评{r.choice(['全市', '全省', '全国'])}{r.choice(HONOR_TITLES)}",
                             f"成立“{name}”{r.choice(['宣讲团', '工作室', '志愿服务队'])}"])
            b.milestones.append((date, self.tr(b, text)))
        return b

    def stat_value(self, m: Metric) -> tuple[str | int, str | None]:
        """A value as a report writes it, and the ``unit:`` field (None: none written)."""
        r = self.r
        u = m.unit or ""
        form = r.random()
        if m.kind == "percent":
            return (f"{r.randint(90, 100)}%" if form < 0.6 else f"{r.randint(900, 999) / 10:.1f}%"), None
        if m.kind == "money":
            if form < 0.4:
                return f"{r.randint(10000, 999999) / 100:.2f}万元", None  # 9337.42万元
            if form < 0.6:
                return f"{r.randint(11, 39) / 10:.1f}亿", (u if r.random() < 0.5 else None)  # 1.2亿
            if form < 0.8:
                return f"{r.randint(200, 9000)}万元", None
            return f"近{r.randint(2, 9)}000万元", None
        if m.kind == "small":
            n = r.randint(3, 60)
            if form < 0.25:
                return cn_number(n), u  # 十四 + unit: 名
            if form < 0.5:
                return n, u
            if form < 0.75:
                return f"{n}{u}", None
            return f"{n}多", (u if r.random() < 0.7 else None)
        if m.kind == "big":
            if form < 0.3:
                return f"{r.randint(11, 99) / 10:.1f}万{u if r.random() < 0.5 else ''}", None  # 3.4万件
            if form < 0.5:
                return f"近{r.randint(2, 9)}000", (u if r.random() < 0.5 else None)  # 近3000
            if form < 0.75:
                return f"{r.randint(12, 98)}00余{u if r.random() < 0.5 else ''}", None
            return r.randint(100, 9999), u
        n = r.randint(12, 400)  # count
        if form < 0.3:
            return f"{n}{u}", None  # 65次
        if form < 0.55:
            return n, u
        if form < 0.85:
            return f"{n // 10 * 10}余{u}", None  # 180余次
        return f"{n // 10 * 10}多", u

    # -- body ---------------------------------------------------------------------------
    def sentence(self, b: Branch, state: dict[str, bool]) -> str:
        r = self.r
        k = r.random()
        if k < 0.45:
            return r.choice(OPENERS) + r.choice(SUBJECTS) + r.choice(VERBS) + r.choice(OBJECTS) + r.choice(RESULTS)
        if k < 0.6:
            return (f"{r.choice(['累计', '全年共', '近三年来共', '截至目前，已'])}开展{r.choice(ACTIVITIES)}"
                    f"{r.randint(2, 30) * 10}余次，覆盖群众{r.randint(2, 90) / 10:.1f}万人次。")
        if k < 0.72:
            return f"在一起{r.choice(CASE_TYPES)}中，承办法官{r.choice(ACTIONS)}，最终{r.choice(OUTCOMES)}。"
        if k < 0.8 and not state.get("quoted"):
            state["quoted"] = True
            return f"“{b.slogan}”，这是支部党员常挂在嘴边的一句话。"
        if k < 0.9:
            return f"支部先后走进{r.choice(PLACES)}、{r.choice(PLACES)}等地开展{r.choice(ACTIVITIES)}，受到群众广泛欢迎。"
        return (f"{r.choice(SUBJECTS)}把{r.choice(OBJECTS)}作为{r.choice(['重要抓手', '关键一环', '突破口'])}，"
                f"{r.choice(VERBS)}{r.choice(OBJECTS)}{r.choice(RESULTS)}")

    def paragraph(self, b: Branch, state: dict[str, bool]) -> str:
        return "".join(self.sentence(b, state) for _ in range(self.r.randint(3, 5)))

    def make_body(self, b: Branch, linkable: list[Branch]) -> str:
        r = self.r
        state: dict[str, bool] = {}
        target = r.randint(1500, 2250)
        intro = self.paragraph(b, state)
        titles = [SECTION_TITLES[t] for t in sorted(r.sample(range(len(SECTION_TITLES)), r.randint(2, 4)))]
        items = r.sample(LIST_HEADS, r.randint(3, 5))
        lst = "\n".join(f"- **{h}**：{r.choice(VERBS)}{r.choice(OBJECTS)}{r.choice(RESULTS)}" for h in items)
        y0 = r.randint(2019, 2022)
        rows = [f"| {y0 + k}年 | {r.randint(10, 200)} | {r.randint(300, 20000)} | {r.randint(900, 1000) / 10:.1f}% |"
                for k in range(r.randint(3, 4))]
        table = "| 年度 | 开展活动（次） | 服务群众（人次） | 群众满意度 |\n| --- | ---: | ---: | ---: |\n" + "\n".join(rows)
        paras: list[list[str]] = [[] for _ in titles]
        count = cjk_len(intro) + cjk_len(lst) + cjk_len(table) + sum(cjk_len(t) for t in titles)
        k = 0
        while count < target or any(not p for p in paras):
            p = self.paragraph(b, state)
            paras[k % len(titles)].append(p)
            count += cjk_len(p)
            k += 1
        other = linkable[r.randrange(len(linkable))] if linkable else None
        if other is not None and other is not b:
            j = r.randrange(len(paras))
            paras[j][-1] += f"这一做法也被兄弟支部的[{other.brand}](../{other.slug}/)品牌借鉴推广。"
        if r.random() < 0.5:
            name, url = r.choice(EXT_LINKS)
            j = r.randrange(len(paras))
            paras[j][0] += f"相关经验做法被[{name}]({url})刊发报道。"
        blocks = [intro]
        special = {r.randrange(len(titles)): lst}
        tk = r.randrange(len(titles))
        for s, (title, ps) in enumerate(zip(titles, paras, strict=True)):
            blocks.append("## " + title)
            blocks.append(ps[0])
            if s in special:
                blocks.append(special[s])
            if s == tk:
                blocks.append("### 近年数据")
                blocks.append(table)
            blocks.extend(ps[1:])
        text = "\n\n".join(blocks) + "\n"
        return self.tr(b, text)

    def build(self) -> list[Branch]:
        self.branches = [self.make_branch(i) for i in range(1, self.n + 1)]
        linkable = [b for b in self.branches if b.write_slug and not b.draft]
        for b in self.branches:
            b.body = self.make_body(b, linkable)
            if self.r.random() < 0.3:
                first = b.body.split("\n\n", 1)[0]
                b.summary = first[:60].rstrip("，。") + "……"
        return self.branches


# ----------------------------------------------------------------------------- writers
def branch_file(b: Branch) -> str:
    lines = ["---", f"brand: {yscalar(b.brand)}", f"branch: {yscalar(b.branch)}", f"unit: {b.unit}",
             f"slogan: {yscalar(b.slogan)}"]
    if b.write_slug:
        lines.append(f"slug: {b.slug}")
    lines += [f"founded: {b.founded}", f"secretary: {yscalar(b.secretary)}"]
    if b.members is not None:
        lines.append(f"members: {b.members}")
    lines.append("tags: [" + ", ".join(yscalar(t) for t in b.tags) + "]")
    if b.summary:
        lines.append(f"summary: {yscalar(b.summary)}")
    if b.order is not None:
        lines.append(f"order: {b.order}")
    lines.append(f"draft: {'true' if b.draft else 'false'}")
    lines.append("stats:")
    for s in b.stats:
        lines += [f"  - metric: {yscalar(s.metric)}", f"    value: {yscalar(s.value)}"]
        if s.unit:
            lines.append(f"    unit: {yscalar(s.unit)}")
        if s.year:
            lines.append(f"    year: {s.year}")
    if b.honors:
        lines.append("honors:")
        for h in b.honors:
            lines += [f"  - title: {yscalar(h['title'])}", f"    level: {yscalar(h['level'])}", f"    year: {h['year']}"]
            if "by" in h:
                lines.append(f"    by: {yscalar(h['by'])}")
    if b.milestones:
        lines.append("milestones:")
        for date, text in sorted(b.milestones):
            lines += [f"  - date: {date}", f"    text: {yscalar(text)}"]
    lines.append("---")
    return "\n".join(lines) + "\n" + b.body


SITE_YAML = """\
title: 安澜法院一支部一品牌展示
subtitle: 一个支部一面旗，一个品牌一份担当
owner: 安澜省高级人民法院机关党委
description: 基准测试用的虚构站点：集中展示各级法院党支部品牌的故事、成效数据、荣誉与大事记。
url: https://www.example.gov.cn/djpp/
base_path: /djpp/
languages: [zh-Hans, zh-Hant]
theme: default
footer:
  owner: 安澜省高级人民法院机关党委
  contact: 联系电话：0000-00000000（示例）
  site_code: "0000000000"
  icp: 安ICP备00000000号（示例）
  police: 安公网安备 00000000000000号（示例）
  lines:
    - 本站内容为基准测试生成的虚构数据。
nav:
  - {title: 首页, url: ""}
  - {title: 品牌, url: branches/}
  - {title: 成效统计, url: stats/}
  - {title: 荣誉, url: honors/}
  - {title: 工作动态, url: news/}
  - {title: 关于, url: about/}
"""

ABOUT_MD = """\
---
title: 关于本站
slug: about
order: 1
---
本站由基准测试脚本生成，用于衡量 brandsite 在大量支部品牌文件下的生成速度与内存占用。

所有单位、人名、地名与数据均为虚构。
"""


def units_yaml() -> str:
    lines: list[str] = []
    for i, (uid, name, level, region) in enumerate(UNITS):
        lines += [f"- id: {uid}", f"  name: {name}", f"  level: {level}", f"  region: {region}", f"  order: {i + 1}"]
    return "\n".join(lines) + "\n"


def metrics_yaml() -> str:
    lines = ["# 统计口径（基准测试生成）：指标名称 → 单位、别名（含繁体写法）、汇总方式", ""]
    for k, m in enumerate(METRICS):
        lines.append(f"{m.name}:")
        if m.unit:
            lines.append(f"  unit: {yscalar(m.unit)}")
        lines.append("  aliases: [" + ", ".join(m.aliases) + "]")
        lines.append(f"  total: {m.total}")
        lines.append(f"  order: {k + 1}")
        if k < 4:
            lines.append("  headline: true")
    return "\n".join(lines) + "\n"


def news_files(g: Gen) -> list[tuple[str, str]]:
    r = g.r
    pool = [b for b in g.branches if not b.draft]
    out: list[tuple[str, str]] = []
    for k in range(1, min(50, 3 + g.n // 200) + 1):
        b = pool[r.randrange(len(pool))]
        date = f"{r.randint(2021, 2025)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"
        place, act = r.choice(PLACES), r.choice(ACTIVITIES)
        title = f"{b.brand}走进{place}开展{act}"
        body = "\n\n".join(g.paragraph(b, {}) for _ in range(r.randint(2, 4))) + "\n"
        head = ["---", f"title: {yscalar(title)}", f'date: "{date}"', f"branch: {yscalar(b.brand)}",
                "tags: [" + ", ".join(yscalar(t) for t in b.tags[:2]) + "]", f"source: {yscalar(r.choice(UNITS)[1])}",
                "---"]
        out.append((f"{date}-dongtai-{k}.md", "\n".join(head) + "\n" + g.tr(b, body)))
    return out


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def generate(n: int, outdir: Path, seed: int = DEFAULT_SEED) -> dict[str, Any]:
    if n < 1:
        raise ValueError("N must be at least 1")
    if outdir.exists() and any(outdir.iterdir()):
        if not (outdir / MARKER).is_file():
            raise FileExistsError(f"{outdir} exists, is not empty and was not made by this generator")
        for sub in ("content", "data"):
            shutil.rmtree(outdir / sub, ignore_errors=True)
    g = Gen(n, seed)
    branches = g.build()
    write(outdir / "data" / "site.yaml", SITE_YAML)
    write(outdir / "data" / "units.yaml", units_yaml())
    write(outdir / "data" / "metrics.yaml", metrics_yaml())
    names: set[str] = set()
    for b in branches:
        name = (b.slug if b.write_slug else f"branch-{b.i:05d}") + ".md"
        assert name not in names
        names.add(name)
        write(outdir / "content" / "branches" / name, branch_file(b))
    news = news_files(g)
    for name, text in news:
        write(outdir / "content" / "news" / name, text)
    write(outdir / "content" / "pages" / "about.md", ABOUT_MD)
    chars = [cjk_len(b.body) for b in branches]
    manifest: dict[str, Any] = {
        "generator": "bench/gen_branches.py", "generator_version": GENERATOR_VERSION, "n": n, "seed": seed,
        "branches": n, "traditional": sum(b.trad for b in branches), "drafts": sum(b.draft for b in branches),
        "without_slug": sum(not b.write_slug for b in branches), "news": len(news), "pages": 1,
        "body_cjk_chars_min": min(chars), "body_cjk_chars_mean": round(sum(chars) / n, 1),
        "body_cjk_chars_max": max(chars), "stats": sum(len(b.stats) for b in branches),
        "free_text_stats": sum(1 for b in branches for s in b.stats if s.metric in dict(FREE_METRICS)),
        "honors": sum(len(b.honors) for b in branches), "milestones": sum(len(b.milestones) for b in branches),
        "units": len(UNITS), "metrics": len(METRICS), "tags": len(TAGS),
    }
    write(outdir / MARKER, json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Write N synthetic branch files in brandsite's content format.")
    ap.add_argument("n", type=int, help="number of branch files")
    ap.add_argument("outdir", type=Path, help="site source folder to write (DIR/data, DIR/content)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    a = ap.parse_args(argv)
    try:
        manifest = generate(a.n, a.outdir, a.seed)
    except (ValueError, FileExistsError) as exc:
        print(f"gen_branches: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(manifest, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
