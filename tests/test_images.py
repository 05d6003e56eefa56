"""Images (brandsite/features/image_*.py, images.py): covers and Markdown images, resized, WebP + fallback, no metadata.

Every picture is generated here with Pillow, including a phone-style JPEG turned on its
side by EXIF orientation 6 and carrying GPS coordinates.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from conftest import branch_text, make_site, tree_bytes
from PIL import Image

from brandsite import pipeline
from brandsite.features import image_process

RED, BLUE = (220, 20, 20), (20, 20, 220)


def phone_jpeg(w: int = 2000, h: int = 1500) -> bytes:
    """Stored landscape, left half red / right half blue, EXIF orientation 6 (shown portrait, red on top),
    with camera make and GPS position."""
    im = Image.new("RGB", (w, h), BLUE)
    im.paste(RED, (0, 0, w // 2, h))
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 0.0)})
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=90, exif=exif.tobytes())
    return buf.getvalue()


def png(w: int = 300, h: int = 200, alpha: bool = True) -> bytes:
    im = Image.new("RGBA" if alpha else "RGB", (w, h), (30, 120, 30, 128) if alpha else (30, 120, 30))
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


def noise_png(side: int) -> bytes:
    """Incompressible: a PNG of random pixels is about 3 bytes per pixel."""
    import random

    rnd = random.Random(7)
    im = Image.frombytes("RGB", (side, side), bytes(rnd.getrandbits(8) for _ in range(side * side * 3)))
    buf = io.BytesIO()
    im.save(buf, "PNG", compress_level=1)
    return buf.getvalue()


STORY = "第一段，支部的故事。\n\n![干警为学生讲解宪法](images/class.png)\n\n第二段。\n"


def site_with_images(root: Path):
    s = make_site(root)
    s.write("content/branches/images/cover.jpg", phone_jpeg())
    s.write("content/branches/images/class.png", png())
    s.branch("faguan-mama", branch_text("法官妈妈", "xuyi", "slug: faguan-mama", "cover: images/cover.jpg",
                                        "cover_alt: 法官为小学生讲解宪法", body=STORY))
    return s


def build(root: Path, **kw) -> pipeline.Result:
    return pipeline.build(pipeline.Options(root, workers=1, **kw))


def errors(root: Path) -> list[tuple[str, int, str]]:
    result = pipeline.check(pipeline.Options(root, workers=1))
    return [(d.path, d.line, d.message) for d in result.report.errors]


@pytest.fixture
def built(tmp_path):
    s = site_with_images(tmp_path / "src")
    result = build(s.root)
    assert result.ok, result.report.lines()
    return s


def media(site: Path) -> dict[str, Path]:
    return {p.name: p for p in sorted((site / "media").iterdir())}


def test_resized_to_widths_never_upscaled_with_webp_and_original_format(built):
    files = media(built.site)
    cover = image_process.source_key(built.root / "content/branches/images/cover.jpg")
    story = image_process.source_key(built.root / "content/branches/images/class.png")
    assert sorted(n for n in files if n.startswith(cover)) == sorted(
        f"{cover}-{w}.{ext}" for w in (480, 960, 1440) for ext in ("jpg", "webp"))
    assert sorted(n for n in files if n.startswith(story)) == [f"{story}-300.png", f"{story}-300.webp"]  # not upscaled
    for w, h in ((480, 640), (960, 1280), (1440, 1920)):  # shown portrait: orientation applied
        for ext, fmt in (("jpg", "JPEG"), ("webp", "WEBP")):
            with Image.open(files[f"{cover}-{w}.{ext}"]) as im:
                assert im.format == fmt and im.size == (w, h)
    with Image.open(files[f"{story}-300.png"]) as im:
        assert im.mode == "RGBA" and im.size == (300, 200)


def test_exif_orientation_is_honoured_and_all_metadata_is_stripped(built):
    for name, path in media(built.site).items():
        with Image.open(path) as im:
            assert not im.getexif(), name
            assert "exif" not in im.info and "xmp" not in im.info and "comment" not in im.info, name
            data = path.read_bytes()
            assert b"PhoneMaker" not in data and b"Exif" not in data, name
            if name.endswith("-480.jpg"):
                rgb = im.convert("RGB")
                top, bottom = rgb.getpixel((240, 20)), rgb.getpixel((240, 620))
                assert top[0] > 150 and top[2] < 100, top  # red on top: turned like the phone showed it
                assert bottom[2] > 150 and bottom[0] < 100, bottom


def test_picture_markup_cover_eager_story_lazy_with_size_and_srcset(built):
    page = (built.site / "branches/faguan-mama/index.html").read_text(encoding="utf-8")
    pictures = re.findall(r"<picture>.*?</picture>", page, re.S)
    assert len(pictures) == 2
    cover, story = pictures
    assert 'alt="法官为小学生讲解宪法"' in cover and 'loading="eager"' in cover and 'fetchpriority="high"' in cover
    assert 'width="1440" height="1920"' in cover
    assert '<source type="image/webp" srcset="' in cover and 'sizes="' in cover
    assert 'alt="干警为学生讲解宪法"' in story and 'loading="lazy"' in story and 'width="300" height="200"' in story
    assert "images/class.png" not in page  # the source path never reaches the site
    for pic in pictures:
        refs = re.findall(r'src="([^"]+)"', pic) + [c.split()[0] for s in re.findall(r'srcset="([^"]+)"', pic)
                                                   for c in s.split(",")]
        for ref in refs:
            assert ref.startswith("../../media/") and (built.site / "branches/faguan-mama" / ref).resolve().is_file(), ref


def test_traditional_version_links_the_shared_images(tmp_path):
    s = site_with_images(tmp_path / "src")
    s.write("data/site.yaml", (s.root / "data/site.yaml").read_text(encoding="utf-8") + "languages: [zh-Hans, zh-Hant]\n")
    assert build(s.root).ok
    page = (s.site / "zh-hant/branches/faguan-mama/index.html").read_text(encoding="utf-8")
    refs = re.findall(r'src="([^"]*media/[^"]+)"', page)
    assert refs and all(r.startswith("../../../media/") for r in refs)
    assert all((s.site / "zh-hant/branches/faguan-mama" / r).resolve().is_file() for r in refs)
    assert 'alt="法官為小學生講解憲法"' in page  # alt text converted like the rest of the page


def test_processed_images_are_cached_across_builds(built, monkeypatch):
    first = tree_bytes(built.site)
    cache = built.root / ".brandsite-cache" / "images"
    assert len([p for p in cache.iterdir() if p.is_dir()]) == 2

    def boom(*a, **k):
        raise AssertionError("an image was processed again")

    monkeypatch.setattr(image_process, "process", boom)
    import shutil

    shutil.rmtree(built.site)
    result = build(built.root)
    assert result.ok
    assert tree_bytes(built.site) == first


def test_names_are_content_hashes(built):
    before = set(media(built.site))
    built.write("content/branches/images/class.png", png(320, 200))
    assert build(built.root).ok
    after = set(media(built.site))
    assert len(before - after) == 2 and len(after - before) == 2  # only the changed picture's files


def test_check_writes_no_image_cache(tmp_path):
    s = site_with_images(tmp_path / "src")
    assert errors(s.root) == []
    assert not (s.root / ".brandsite-cache" / "images").exists()
    assert not s.site.exists()


def test_missing_image_is_a_path_line_error(tmp_path):
    s = make_site(tmp_path / "src")
    s.branch("x", branch_text("甲品牌", "xuyi", body="第一段。\n\n![课堂](images/nope.jpg)\n"))
    (path, line, msg), = errors(s.root)
    assert (path, line) == ("content/branches/x.md", 8)
    assert "images/nope.jpg" in msg and "不存在" in msg


def test_missing_alt_text_is_a_path_line_error(tmp_path):
    s = make_site(tmp_path / "src")
    s.write("content/branches/images/a.png", png())
    s.branch("x", branch_text("甲品牌", "xuyi", body="第一段。\n\n第二段。\n\n![](images/a.png)\n"))
    (path, line, msg), = errors(s.root)
    assert (path, line) == ("content/branches/x.md", 10)
    assert "alt" in msg and "![图片内容的简短描述](images/a.png)" in msg


def test_oversize_image_and_cover_are_path_line_errors(tmp_path):
    s = make_site(tmp_path / "src")
    s.write("data/site.yaml", (s.root / "data/site.yaml").read_text(encoding="utf-8") + "image_max_mb: 1\n")
    big = noise_png(700)
    assert len(big) > 1024 * 1024
    s.write("content/branches/images/big.png", big)
    s.branch("x", branch_text("甲品牌", "xuyi", "cover: images/big.png", "cover_alt: 大图",
                              body="正文。\n\n![大图](images/big.png)\n"))
    errs = errors(s.root)
    assert [(p, ln) for p, ln, _ in errs] == [("content/branches/x.md", 5), ("content/branches/x.md", 10)]
    assert all("超过上限 1 MB" in m and "image_max_mb" in m for _, _, m in errs)
    assert errs[0][2].startswith("封面图")


def test_default_limit_is_20_mb_and_is_configurable_in_the_schema(tmp_path):
    s = make_site(tmp_path / "src")
    s.write("data/site.yaml", (s.root / "data/site.yaml").read_text(encoding="utf-8") + "image_max_mb: 0\n")
    s.branch("x", branch_text("甲品牌", "xuyi"))
    errs = errors(s.root)
    assert [(p, ln) for p, ln, _ in errs] == [("data/site.yaml", 7)], errs
    assert "图片大小上限" in errs[0][2]
    from brandsite.model.site import SiteConfig

    assert SiteConfig().image_max_mb == 20


def test_a_file_that_is_not_a_picture_is_an_error(tmp_path):
    s = make_site(tmp_path / "src")
    s.write("content/branches/images/fake.jpg", "这不是图片".encode())
    s.branch("x", branch_text("甲品牌", "xuyi", body="正文。\n\n![法官在社区讲解民法典](images/fake.jpg)\n"))
    (path, line, msg), = errors(s.root)
    assert (path, line) == ("content/branches/x.md", 8) and "不是可识别的图片" in msg


def test_news_and_pages_images_are_processed_too(tmp_path):
    s = make_site(tmp_path / "src")
    s.branch("x", branch_text("甲品牌", "xuyi"))
    s.write("content/news/pic.png", png(100, 50, alpha=False))
    s.write("content/news/n.md", "---\ntitle: 动态\ndate: 2024-01-02\n---\n正文。\n\n![现场](pic.png)\n")
    assert build(s.root).ok
    page = next((s.site / "news").glob("*/index.html")).read_text(encoding="utf-8")
    assert '<picture><source type="image/webp"' in page and 'width="100" height="50"' in page
