"""The one declarative schema of every editor-written file.

Each :class:`Field` says what a key means (Chinese label and doc), what it accepts and how
to convert it. The same objects validate files (:func:`brandsite.content.fields.check`), write
the editor guide's reference tables (:func:`brandsite.content.guide_tables.markdown_reference`)
and the ``new branch`` template, so the documentation can never drift from what the tool accepts.

This module holds only the declarations (one :class:`Schema` per kind of file or record, and the
choices they offer); how a value of each kind is read is :mod:`brandsite.content.fields`.
"""

from __future__ import annotations

from brandsite.content.fields import WHEN_FORMS, Field, Schema

TOTAL_MODES = {"sum": "相加", "max": "取最大值", "latest": "取最近一年", "none": "不汇总"}

#: whom an honor went to; only "支部" (the brand's own) counts among the brand's honors
HONOR_TO = ("支部", "法院", "个人")


# ---------------------------------------------------------------------------- the schemas

STAT = Schema(
    "一条成效数据",
    (
        Field("metric", "指标名称", "text", True, "统计口径中的名称或别名，也可写自由文字", "普法宣传", ("指标",)),
        Field("value", "数值", "quantity", True, "如 65、180余次、3.4万件、99%", "180余次", ("数值", "数量")),
        Field("unit", "单位", "text", False, "数值后面没写单位时在此填写", "次", ("单位",)),
        Field("year", "年份", "yearmonth", False, "数据所属年度；来源只写到月份时可写 2024-08；来源没写年份就不填（显示为“年份未注明”）",
              2024, ("年份", "年度")),
        Field("period", "时段", "text", False, "来源写明的统计时段，如 2014年以来、累计、2021—2023年；只有来源说“累计”才写累计",
              "2014年以来", ("时段", "期间")),
        Field("scope", "范围", "text", False, "数字不是本品牌自己的时写明范围或专项活动，如 全市法院、“执行信访百日攻坚”专项活动；"
              "这样的数字只在本页注明范围显示，不计入全站合计", "全市法院", ("范围", "口径")),
        Field("note", "说明", "text", False, "口径说明，显示在数据旁", "截至当年底", ("备注", "说明")),
    ),
)

HONOR = Schema(
    "一项荣誉",
    (
        Field("title", "荣誉名称", "text", True, "荣誉的完整名称", "全省法院新时代党建工作创新案例", ("名称", "荣誉")),
        Field("level", "级别", "level", True, "国家级、省级、市级、县级、院级（可写 全国、全省、区级 等；多级写“省、市、区”，按最高一级统计）", "省级", ("级别",)),
        Field("year", "年份", "year", False, "获得荣誉的年份", 2023, ("年份",)),
        Field("by", "授予单位", "text", False, "颁发荣誉的单位", "江苏省高级人民法院", ("授予单位", "颁发单位")),
        Field("to", "获得者", "choice", False, "荣誉授给谁：支部（默认，计入本品牌荣誉）、法院、个人（只在本页列出，不计入品牌荣誉）",
              "支部", ("获得者", "授予对象"), choices=HONOR_TO),
    ),
)

MILESTONE = Schema(
    "一条大事记",
    (
        Field("date", "日期", "when", True, f"可写 {WHEN_FORMS}", "2024-12", ("日期", "时间")),
        Field("text", "事件", "text", True, "一句话说明发生了什么", "走进第五小学开展宪法宣讲", ("事件", "内容")),
    ),
)

PHOTO = Schema(
    "一张活动照片（gallery）",
    (
        Field("src", "图片", "text", True, "图片路径，相对于本文件（JPG、PNG、WebP）", "images/xuanjiang-1.jpg", ("图片", "路径")),
        Field("alt", "图片说明", "text", True, "供读屏软件朗读的图片内容描述", "法官在教室里为学生讲解宪法", ("说明",)),
        Field("caption", "图注", "text", False, "显示在照片下方的一句话", "走进校园开展宪法宣讲", ("图注", "标题")),
    ),
)

BRANCH = Schema(
    "品牌文件的 front matter",
    (
        Field("brand", "品牌名称", "text", True, "支部品牌的名称", "法官妈妈", ("品牌", "品牌名称", "name", "title")),
        Field("branch", "支部名称", "text", True, "党支部全称", "第六党支部", ("支部", "支部名称")),
        Field("branch_descriptive", "支部名称为说明", "bool", False,
              "true 表示来源没写支部全称、branch 是按内容写的说明性名称；页面会注明，不当作正式名称", "false",
              ("说明性名称",)),
        Field("unit", "所属单位", "text", False, "data/units.yaml 中的单位 id；有该文件时必填", "ordos-intermediate",
              ("单位", "所属单位", "court")),
        Field("slogan", "品牌口号", "text", False, "一句话口号", "用母亲的温度守护未成年人成长", ("口号", "标语")),
        Field("slug", "网址名", "slug", False, "页面网址中的名称；不写则用品牌名拼音，如 faguan-mama", "faguan-mama",
              ("网址",)),
        Field("founded", "创建时间", "when", False, f"品牌创建的年份或日期：{WHEN_FORMS}", 2014, ("创建时间", "成立时间")),
        Field("updated", "页面更新日期", "when", False,
              "本页内容发布或最近一次更新的日期（政府网站检查读取的发布日期 PubDate）；写发布当天即可，不要为此编造创建时间或大事记："
              + WHEN_FORMS, "2024-12-01", ("更新日期", "发布日期", "页面日期")),
        Field("secretary", "支部书记", "text", False, "支部书记姓名（对外发布可写作“刘某”）", "刘某", ("书记", "支部书记")),
        Field("members", "党员人数", "int", False, "支部党员人数，不小于 0 的整数", 12, ("党员人数", "人数"), minimum=0),
        Field("tags", "标签", "texts", False, "主题标签，写成 [甲, 乙] 或用顿号分隔", "[未成年人保护, 普法宣传]",
              ("标签", "tag")),
        Field("cover", "封面图", "text", False, "图片路径，相对于本文件；填写时必须同时填写 cover_alt", "images/faguan-mama.jpg",
              ("封面", "封面图")),
        Field("cover_alt", "封面图说明", "text", False, "供读屏软件朗读的图片文字说明", "法官为小学生讲解宪法知识",
              ("封面说明", "alt")),
        Field("logo", "品牌标志", "text", False, "品牌标志图片路径（SVG、PNG 或 JPG），相对于本文件；不写则自动生成印章式标志",
              "images/faguan-mama-logo.svg", ("标志", "品牌标志")),
        Field("gallery", "活动照片", "records", False, "活动照片列表，见下表；品牌页在故事前展示", None, ("照片", "相册"),
              item=PHOTO),
        Field("summary", "简介", "text", False, "一句话简介；不写则取正文第一段", "以“法官妈妈”工作室为依托……", ("简介", "摘要")),
        Field("order", "排序", "int", False, "数字小的排在前面；不写则按拼音排序", 10, ("排序", "顺序")),
        Field("draft", "草稿", "bool", False, "true 表示草稿，只有加 --drafts 时才生成", "false", ("草稿",)),
        Field("stats", "工作成效", "records", False, "成效数据列表，见下表", None, ("成效", "统计", "数据"), item=STAT),
        Field("honors", "荣誉", "records", False, "荣誉列表，见下表", None, ("荣誉", "获奖"), item=HONOR),
        Field("milestones", "大事记", "records", False, "大事记列表，见下表", None, ("大事记",), item=MILESTONE),
    ),
)

NEWS = Schema(
    "工作动态的 front matter",
    (
        Field("title", "标题", "text", True, "动态标题", "法官妈妈走进第五小学", ("标题",)),
        Field("date", "日期", "when", True, f"发布日期；来源只写到月份或年份时照写，不必编造日子：{WHEN_FORMS}", "2024-12",
              ("日期", "时间")),
        Field("branch", "相关品牌", "text", False, "相关支部品牌的名称（与品牌文件的 brand 一致）", "法官妈妈",
              ("品牌", "相关品牌")),
        Field("slug", "网址名", "slug", False, "不写则用文件名或标题拼音", "faguan-mama-xuanjiang", ("网址",)),
        Field("tags", "标签", "texts", False, "主题标签", "[普法宣传]", ("标签",)),
        Field("summary", "摘要", "text", False, "不写则取正文第一段", "……", ("摘要", "简介")),
        Field("source", "来源", "text", False, "信息来源（供稿单位）", "政治部", ("来源",)),
        Field("draft", "草稿", "bool", False, "true 表示草稿", "false", ("草稿",)),
    ),
)

PAGE = Schema(
    "页面的 front matter",
    (
        Field("title", "标题", "text", True, "页面标题", "关于我们", ("标题",)),
        Field("slug", "网址名", "slug", False, "不写则用文件名或标题拼音", "about", ("网址",)),
        Field("summary", "摘要", "text", False, "不写则取正文第一段", "……", ("摘要",)),
        Field("order", "排序", "int", False, "数字小的排在前面", 10, ("排序",)),
        Field("draft", "草稿", "bool", False, "true 表示草稿", "false", ("草稿",)),
    ),
)

UNIT = Schema(
    "单位",
    (
        Field("id", "单位 id", "slug", True, "品牌文件 unit: 中引用的 id，小写字母、数字、连字符", "xuyi", ("编号",)),
        Field("name", "单位名称", "text", True, "单位全称", "盱眙县人民法院", ("名称",)),
        Field("level", "层级", "text", False, "高级法院、中级法院、基层法院、人民法庭、机关党委等", "基层法院", ("层级",)),
        Field("region", "地区", "text", False, "所在地区", "江苏省淮安市", ("地区",)),
        Field("order", "排序", "int", False, "数字小的排在前面", 10, ("排序",)),
    ),
)

METRIC = Schema(
    "统计指标",
    (
        Field("unit", "单位", "text", False, "该指标统一使用的单位；百分比写 %", "次", ("单位",)),
        Field("unit_aliases", "同义单位", "texts", False, "也按本单位计算的写法，如单位为 件 时写 [起]；品牌页仍显示原写法",
              "[场, 场次]", ("同义单位",)),
        Field("aliases", "别名", "texts", False, "也算作该指标的其他名称（简繁体均可）", "[法治宣传, 送法下乡]", ("别名",)),
        Field("total", "汇总方式", "choice", False,
              "sum 相加、max 取最大值、latest 取最近一年、none 不汇总。不写时：单位是次、场、件、起、人次、元等"
              "“事件或金额”的才相加，百分比、比率、年均数、人数个数等存量一律不相加", "sum", ("汇总",),
              choices=tuple(TOTAL_MODES)),
        Field("campaigns", "计入专项活动", "bool", False, "true 表示写了 scope（专项活动）的数字也计入全站合计；默认不计入",
              "false", ("专项活动",)),
        Field("headline_latest", "首页只显示最近一年", "bool", False,
              "true 表示首页只显示最近一年的合计，不把不同年份相加", "false", ("只显示最近一年",)),
        Field("order", "排序", "int", False, "在首页与统计页中的顺序，数字小的在前", 10, ("排序",)),
        Field("headline", "首页展示", "bool", False, "true 表示在首页作为主要成效展示", "true", ("首页",)),
    ),
)

NAV = Schema(
    "导航项",
    (
        Field("title", "名称", "text", True, "导航文字", "成效统计"),
        Field("url", "链接", "text", False, "站内相对路径，如 stats/；空表示首页", "stats/"),
    ),
)

FOOTER = Schema(
    "页脚设置",
    (
        Field("owner", "主办单位", "text", False, "页脚显示的主办单位；不写则用 owner", "某某人民法院"),
        Field("contact", "联系方式", "text", False, "联系电话或地址", "联系电话：0000-00000000"),
        Field("site_code", "网站标识码", "text", False, "政府网站标识码", "0000000000"),
        Field("icp", "ICP备案号", "text", False, "ICP 备案号", "京ICP备00000000号"),
        Field("police", "公安机关备案号", "text", False, "公安机关备案号", "京公网安备 00000000000000号"),
        Field("police_link", "公安备案链接", "text", False, "公安备案号的链接地址", "https://…"),
        Field("lines", "其他页脚文字", "texts", False, "其他页脚行", "[本站为示例]"),
    ),
)

LANGUAGES = ("zh-Hans", "zh-Hant")

SITE = Schema(
    "网站设置（data/site.yaml）",
    (
        Field("title", "网站标题", "text", True, "网站名称", "一支部一品牌 · 党建品牌展示", ("标题", "网站名称")),
        Field("subtitle", "副标题", "text", False, "首页标题下的一句话", "……", ("副标题",)),
        Field("owner", "主办单位", "text", True, "网站主办单位", "某某人民法院机关党委", ("主办单位",)),
        Field("description", "网站简介", "text", False, "搜索引擎与分享卡片中的简介", "……", ("简介",)),
        Field("url", "网站地址", "text", False, "发布后的完整地址，用于站点地图与订阅", "https://www.example.gov.cn/djpp/"),
        Field("base_path", "发布路径", "text", False, "发布在网站子目录时填写，如 /djpp/；默认 /", "/djpp/"),
        Field("languages", "语言", "texts", False, "zh-Hans（简体，必有）与 zh-Hant（繁体，可选）", "[zh-Hans]",
              choices=LANGUAGES),
        Field("theme", "主题", "text", False, "themes/ 下的主题名，默认 default", "default"),
        Field("footer", "页脚", "mapping", False, "页脚信息，见下表；也可直接写成文字列表（每项一行）", None, item=FOOTER),
        Field("nav", "导航", "records", False, "顶部导航，每项 title 与 url", None, item=NAV),
        Field("publish", "正式发布", "bool", False, "true 时页脚备案信息缺一不可", "false"),
        Field("summary_length", "简介长度", "int", False, "自动简介的大约字数", 80, minimum=20, maximum=400),
        Field("hant_variant", "繁体用字", "choice", False,
              "繁体版的转换方式：hktw 港台通用字形（默认，如“為”“眾”）、s2t OpenCC 标准字形（如“爲”“衆”）、s2tw 台湾用字、s2hk 香港用字",
              "hktw", choices=("hktw", "s2t", "s2tw", "s2hk")),
        Field("image_max_mb", "图片大小上限", "int", False, "单张图片文件的最大 MB 数，超过即报错", 20, minimum=1, maximum=200),
        Field("search", "站内搜索", "bool", False, "false 时不生成搜索页和搜索索引", "true"),
        Field("review", "审核级别", "texts", False,
              "先审后发：各级审核签发的名称，按顺序填写；设置后 publish: true 的网站须各级签发才能生成（见“审核与发布”）",
              "[拟稿, 审核, 签发]"),
    ),
)
