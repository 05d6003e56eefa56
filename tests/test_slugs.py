"""Pinyin slugs and the order of the branch list."""

from __future__ import annotations

import posixpath
import re

import pytest
from conftest import branch_text, make_site, visible_text

from brandsite.model.slugs import MAX_SLUG, pinyin_key, slugify

pytestmark = pytest.mark.usefixtures("fast_templates")


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("法官妈妈", "faguan-mama"),
        ("法官媽媽", "faguan-mama"),
        ("聽我斷案", "tingwo-duanan"),
        ("先锋行", "xianfengxing"),
        ("褚夫课法官工作室", "chufuke-faguan-gongzuoshi"),  # word segmentation, a name kept whole
        ("维护老年人合法权益", "weihu-laonianren-hefa-quanyi"),  # four-character compounds split
        ("金秤纽带", "jincheng-niudai"),  # jieba alone reads 金|秤纽|带
        ("初心花开工作室", "chuxin-huakai-gongzuoshi"),
        ("热线服务站", "rexian-fuwuzhan"),
        ("争创雷锋式党支部", "zhengchuang-leifengshi-dangzhibu"),
        ("山海之声调解室", "shanhai-zhisheng-tiaojieshi"),
        ("党建+135", "dangjian-135"),
        ("ＡＢＣ法庭", "abc-fating"),
        ("“三心”促和谐", "sanxin-cuhexie"),
        ("!!!", ""),
    ],
)
def test_slugify(name, slug):
    assert slugify(name) == slug


def test_slugs_are_ascii_and_bounded():
    long = "法官妈妈" * 40
    s = slugify(long)
    assert len(s) <= MAX_SLUG and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s)


def test_pinyin_key_orders_by_reading():
    names = ["红心护航", "爱心调解", "党建引领", "春风化雨"]
    assert sorted(names, key=pinyin_key) == ["爱心调解", "春风化雨", "党建引领", "红心护航"]
    assert pinyin_key("法官媽媽")[0] == pinyin_key("法官妈妈")[0]


def test_two_scripts_of_one_brand_collide(tmp_path, cli):
    s = make_site(tmp_path / "src")
    s.branch("simplified", branch_text("法官妈妈", "xuyi"))
    s.branch("traditional", branch_text("法官媽媽", "ordos"))
    r = cli("check", "--root", s.root)
    assert r.code == 1
    (line,) = [ln for ln in r.out.splitlines() if "faguan-mama" in ln]
    assert line.startswith("content/branches/traditional.md:2:")
    assert "content/branches/simplified.md" in line


def test_branch_list_order_then_pinyin(tmp_path, cli):
    s = make_site(tmp_path / "src")
    s.branch("h", branch_text("红心护航", "xuyi"))
    s.branch("a", branch_text("爱心调解", "xuyi"))
    s.branch("d", branch_text("党建引领", "xuyi", "order: 5"))
    s.branch("c", branch_text("春风化雨", "xuyi"))
    s.branch("z", branch_text("最先展示", "xuyi", "order: 1"))
    assert cli("--root", s.root).code == 0
    expected = ["最先展示", "党建引领", "爱心调解", "春风化雨", "红心护航"]
    for page in ("branches/index.html", "index.html"):
        text = visible_text(s.site / page)
        order = [text.index(b) for b in expected]
        assert order == sorted(order), page
    html = (s.site / "branches" / "index.html").read_text(encoding="utf-8")
    targets = [posixpath.normpath(posixpath.join("branches", h)) for h in re.findall(r'href="([^"#:]+)"', html)]
    links = [t.split("/")[1] for t in targets if re.fullmatch(r"branches/[a-z0-9-]+/index\.html", t)]
    assert links == [slugify(b) for b in expected]


def test_tag_in_both_scripts_shares_one_page(tmp_path, cli):
    s = make_site(tmp_path / "src")
    s.branch("a", branch_text("甲品牌", "xuyi", "tags: [普法宣传]"))
    s.branch("b", branch_text("乙品牌", "xuyi", "tags: [普法宣傳]"))
    assert cli("--root", s.root).code == 0
    tags = sorted(p.name for p in (s.site / "tags").iterdir() if p.is_dir())
    assert tags == ["pufa-xuanchuan"]
    page = (s.site / "tags" / "pufa-xuanchuan" / "index.html").read_text(encoding="utf-8")
    assert "甲品牌" in page and "乙品牌" in page


def test_explicit_slug_wins(tmp_path, cli):
    s = make_site(tmp_path / "src")
    s.branch("x", branch_text("聽我斷案", "xuyi", "slug: ting-wo-duan-an"))
    assert cli("--root", s.root).code == 0
    assert (s.site / "branches" / "ting-wo-duan-an" / "index.html").is_file()
    assert not (s.site / "branches" / "tingwo-duanan").exists()


# ---------------------------------------------------------------------------- slugs read like words (issue 12)

SLUGS = [
    # brands of the seeds
    ("三心系天平", "sanxin-xi-tianping"),
    ("法制服务进村居", "fazhi-fuwu-jin-cunju"),
    ("法制宣传赶大集", "fazhi-xuanchuan-gan-daji"),
    ("法润民企行动", "farun-minqi-xingdong"),
    ("守护大湖境美", "shouhu-dahu-jingmei"),
    ("善调乡村盱眙模式", "shantiao-xiangcun-xuyi-moshi"),
    ("六六多元调解", "liuliu-duoyuan-tiaojie"),
    ("七彩阳光司法", "qicai-yangguang-sifa"),
    ("金其华特邀调解工作室", "jinqihua-teyao-tiaojie-gongzuoshi"),
    ("高祖祥法官工作室", "gaozuxiang-faguan-gongzuoshi"),
    ("褚夫课法官工作室", "chufuke-faguan-gongzuoshi"),
    ("党员志愿服务", "dangyuan-zhiyuan-fuwu"),
    ("维护老年人合法权益", "weihu-laonianren-hefa-quanyi"),
    ("初心引航·崇法为民", "chuxin-yinhang-chongfa-weimin"),
    ("党建引领·法护金融", "dangjian-yinling-fahu-jinrong"),
    ("“五心”服务·保障先锋", "wuxin-fuwu-baozhang-xianfeng"),
    ("筑法秉正·先锋行", "zhufa-bingzheng-xianfengxing"),
    ("聽我斷案", "tingwo-duanan"),
    ("法官妈妈", "faguan-mama"),
    ("法官媽媽", "faguan-mama"),
    ("争创雷锋式党支部", "zhengchuang-leifengshi-dangzhibu"),
    ("党建“135”工作法", "dangjian-135-gongzuofa"),
    ("执行服务“832”", "zhixing-fuwu-832"),
    ("都梁法官大讲堂", "douliang-faguan-dajiangtang"),
    ("都梁法苑大讲堂", "douliang-fayuan-dajiangtang"),
    ("廉政建设大讲堂", "lianzheng-jianshe-dajiangtang"),
    ("难事我办留言区", "nanshi-woban-liuyanqu"),
    ("双包双联为民服务", "shuangbao-shuanglian-weimin-fuwu"),
    ("民呼我为", "minhu-wowei"),
    ("西湖先锋", "xihu-xianfeng"),
    ("红色引擎", "hongse-yinqing"),
    ("有信必复", "youxin-bifu"),
    ("一线工作法", "yixian-gongzuofa"),
    ("审判之星", "shenpan-zhixing"),
    ("党员先锋岗", "dangyuan-xianfenggang"),
    ("支部建在庭上", "zhibu-jianzai-tingshang"),
    ("亮灯工程", "liangdeng-gongcheng"),
    ("法院+商会", "fayuan-shanghui"),
    ("我与雷锋同行", "woyu-leifeng-tonghang"),
    # similar names an editor may write
    ("法官进网格", "faguan-jin-wangge"),
    ("法官进社区", "faguan-jin-shequ"),
    ("调解进万家", "tiaojie-jin-wanjia"),
    ("诉调对接", "sutiao-duijie"),
    ("法治护航", "fazhi-huhang"),
    ("先锋行", "xianfengxing"),
    ("热线服务站", "rexian-fuwuzhan"),
    ("“三心”促和谐", "sanxin-cuhexie"),
]


@pytest.mark.parametrize(("name", "slug"), SLUGS)
def test_slugs_read_like_words(name, slug):
    assert slugify(name) == slug


def test_slug_list_is_long_enough():
    assert len(SLUGS) >= 40
