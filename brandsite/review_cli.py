"""The 先审后发 commands: ``review`` (the 审核表), ``sign`` (record a level's sign-off), ``package`` (the zip).

Kept apart from cli.py so that the command line module only wires them in.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from brandsite.core.diagnostics import Report

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def add_parsers(sub: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None]) -> None:
    r = sub.add_parser("review", help="生成信息发布审核表（列出自上次发布以来的修改） / write the printable review form")
    r.add_argument("--root", type=Path, default=Path("."), help="网站源文件所在文件夹 / site source folder")
    r.add_argument("--since", type=Path, default=None,
                   help="与哪次发布对比：发布记录文件夹，默认 data/published / publication folder to compare with")
    r.add_argument("--output", "-o", type=Path, default=None, help="审核表文件，默认 ROOT/审核表.html / output file")
    r.add_argument("--no-cache", action="store_true", help="不使用渲染缓存 / do not use the render cache")
    s = sub.add_parser("sign", help="登记一级审核签发 / record one level's sign-off")
    s.add_argument("--as", dest="level", required=True, help="签发级别，如 审核 / level, e.g. 审核")
    s.add_argument("--name", required=True, help="签发人姓名 / name of the person signing")
    s.add_argument("--date", default=None, help="签发日期 YYYY-MM-DD，默认今天 / date, default today")
    s.add_argument("--code", default=None, help="审核表编号，用于确认所签的正是审核表上的内容 / the form's number")
    s.add_argument("--root", type=Path, default=Path("."), help="网站源文件所在文件夹 / site source folder")
    p = sub.add_parser("package", help="检查、生成并打包交给网站管理部门 / build with every check, write the hand-off zip")
    p.add_argument("--root", type=Path, default=Path("."), help="网站源文件所在文件夹 / site source folder")
    p.add_argument("--zip", type=Path, default=None, help="发布包文件，默认 ROOT/发布包/… / zip file to write")
    p.add_argument("--no-cache", action="store_true", help="不使用渲染缓存 / do not use the render cache")


def _print(report: Report) -> None:
    for line in report.lines():
        print(line, file=sys.stderr)


def _no_root(root: Path) -> bool:
    if not root.is_dir():
        print(f"找不到网站源文件夹 / no such folder: {root}", file=sys.stderr)
        return True
    return False


def cmd_review(args: argparse.Namespace) -> int:
    if _no_root(args.root):
        return EXIT_USAGE
    from brandsite import pipeline
    from brandsite.publish import review

    root = args.root.resolve()
    if args.since is not None and not (args.since / "publication.yaml").is_file():
        print(f"“{args.since}”不是发布记录文件夹（其中应有 publication.yaml，如 data/published）", file=sys.stderr)
        return EXIT_USAGE
    result = pipeline.check(pipeline.Options(root=root, use_cache=not args.no_cache))
    report = result.report
    if result.site is None:
        _print(report)
        return EXIT_CONTENT
    got = review.build_form(root, result.site, report, args.since)
    if got is None:
        _print(report)
        print("签发记录或发布记录有误，审核表没有生成。请按上面的提示修改后重试。", file=sys.stderr)
        return EXIT_CONTENT
    form = got[0]
    out = args.output or root / "审核表.html"
    refused = review.write_form(out, review.render(form))
    if refused:
        print(refused, file=sys.stderr)
        return EXIT_USAGE
    counts = "，".join(f"{k} {n}" for k in ("新增", "修改", "删除", "未签发") if (n := sum(c.kind == k for c in form.changes)))
    errors = [d for d in review.findings(report) if d.severity.value == "error"]
    print(f"审核表已写入：{out}（编号 {form.code}；{form.since}：{counts or '没有变更'}；发布检查 {len(errors)} 个错误）")
    if errors:
        _print(Report(root, errors))
        return EXIT_CONTENT
    return EXIT_OK


def cmd_sign(args: argparse.Namespace) -> int:
    if _no_root(args.root):
        return EXIT_USAGE
    from brandsite import pipeline
    from brandsite.publish import signoff

    name = args.name.strip()
    if not name or len(name) > 30 or any(ch in name for ch in "\n\r{}[]#"):
        print(f"姓名“{args.name}”不可用：请写签发人的姓名（30 字以内，不含括号和 #）", file=sys.stderr)
        return EXIT_USAGE
    try:
        date = dt.date.fromisoformat(args.date).isoformat() if args.date else dt.date.today().isoformat()
    except ValueError:
        print(f"签发日期“{args.date}”应写成 2024-12-01 这样的年-月-日", file=sys.stderr)
        return EXIT_USAGE
    root = args.root.resolve()
    report = Report(root)
    site = pipeline.load(pipeline.Options(root=root), report)
    levels = signoff.levels_of(site)
    if args.level not in levels:
        print(f"签发级别“{args.level}”不在本网站的审核级别中：可用 {'、'.join(levels)}（在 data/site.yaml 的 review 中设置）", file=sys.stderr)
        return EXIT_USAGE
    if not report.ok:
        _print(report)
        print("内容有错误，不能签发：请先改正上面的错误，重新生成审核表审核后再签发。", file=sys.stderr)
        return EXIT_CONTENT
    current = signoff.digests(root, signoff.published_files(root, site))
    if args.code and args.code.strip().upper() != signoff.code(current):
        print(f"审核表编号不符：审核表上是 {args.code}，当前内容是 {signoff.code(current)}。审核表生成后内容又有修改，"
              "请重新运行 python build.py review，审核新的审核表后再签发。", file=sys.stderr)
        return EXIT_CONTENT
    try:
        done = signoff.sign(root, site, args.level, name, date, report)
    except OSError as exc:
        print(f"无法写入 {signoff.RECORD}（{exc.strerror or exc}）：文件是否只读或正被其他程序打开？没有登记。", file=sys.stderr)
        return EXIT_CONTENT
    if done is None:
        _print(report)
        print("签发记录 data/signoff.yaml 有误，没有登记。请按上面的提示修改后重试。", file=sys.stderr)
        return EXIT_CONTENT
    for f, lack in done.blocked.items():
        print(f"{f}: 还缺少{'、'.join(f'“{lv}”' for lv in lack)}：请按顺序先完成前面各级签发", file=sys.stderr)
    if done.blocked:
        print(f"没有登记“{args.level}”签发：{len(done.blocked)} 个文件的前面级别尚未签发。", file=sys.stderr)
        return EXIT_CONTENT
    if not done.signed:
        print(f"没有需要“{args.level}”签发的文件：全部文件的当前内容都已有“{args.level}”签发。")
        return EXIT_OK
    print(f"已登记“{args.level}”签发（{name}，{date}），共 {len(done.signed)} 个文件，记录在 {signoff.RECORD}：")
    for f in done.signed:
        print(f"  {f}")
    rest = levels[levels.index(args.level) + 1 :]
    print("下一步：" + (f"由“{rest[0]}”审核后运行 python build.py sign --as {rest[0]} --name 姓名" if rest
                      else "各级均已签发，可以运行 python build.py package 打包发布") + "；请把 data/signoff.yaml 一并提交。")
    return EXIT_OK


def cmd_package(args: argparse.Namespace) -> int:
    if _no_root(args.root):
        return EXIT_USAGE
    from brandsite import pipeline
    from brandsite.publish import package

    root = args.root.resolve()
    with tempfile.TemporaryDirectory(prefix="brandsite-package-") as tmp:
        opts = pipeline.Options(root=root, out=Path(tmp) / "site", use_cache=not args.no_cache, signoff=True)
        result = pipeline.build(opts)
        report = result.report
        site = result.site
        if site is not None and result.ok and not site.config.publish:
            report.error(root / "data" / "site.yaml", 1, "打包用于正式发布：请先在 data/site.yaml 中写上 publish: true"
                         "（并填好页脚的备案信息），检查通过后再打包", "package")
        if not report.ok or site is None:
            _print(report)
            print(f"发现 {len(report.errors)} 个错误，没有打包。请按上面的提示修改后重试。", file=sys.stderr)
            return EXIT_CONTENT
        assert opts.out is not None
        try:
            made = package.make(root, site, opts.out, result.files, args.zip, report)
        except OSError as exc:
            where = getattr(exc, "filename", None) or ""
            print(f"无法写入 {where}（{exc.strerror or exc}）：文件是否正被其他程序打开，或文件夹不可写？没有打包完成，"
                  "请处理后重试。", file=sys.stderr)
            return EXIT_CONTENT
    if made is None:
        _print(report)
        print("没有打包。请按上面的提示处理后重试。", file=sys.stderr)
        return EXIT_CONTENT
    kinds = "，".join(f"{k} {n}" for k in ("新增", "修改", "删除") if (n := sum(c.kind == k for c in made.changes)))
    print(f"已打包：{made.path}（{made.files} 个文件，发布编号 {made.code}，签发日期 {made.date}；"
          f"本次变更：{kinds or '无'}）")
    print(f"请把压缩包交给网站管理部门：解压后将“{made.folder}”文件夹放到网站上（见包内 说明.txt）；"
          "并把 data/published 一并提交，下次审核表以它为对比依据。")
    return EXIT_OK


HANDLERS = {"review": cmd_review, "sign": cmd_sign, "package": cmd_package}
