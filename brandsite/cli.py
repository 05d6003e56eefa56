"""Command line: ``build`` (default), ``check``, ``new branch``, ``serve``.

Help is bilingual (editors read Chinese, the IT staff who publish often search English).
Exit codes follow the contract: 0 ok, 1 content errors, 2 usage (an output folder that is not
ours or is in use included); 3 is brandsite's own failure, told in one Chinese sentence with the log
file that holds the details (the traceback on the terminal only with ``--debug``).
"""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from brandsite.core.cache import CACHE_DIR
from brandsite.core.diagnostics import Report, shown
from brandsite.write.claim import OutputRefused

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
EXIT_CRASH = 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's default is English only
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: 命令行参数有误 / usage error: {message}\n")


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--root", type=Path, default=Path("."), help="网站源文件所在文件夹 / site source folder (default: .)")
    p.add_argument("--out", type=Path, default=None, help="输出文件夹 / output folder (default: ROOT/site)")
    p.add_argument("--drafts", action="store_true", help="同时生成草稿 / include drafts")
    p.add_argument("--no-cache", action="store_true", help="不使用渲染缓存 / do not use the render cache")


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python build.py",
        description="一支部一品牌展示网站生成器 / brandsite: static showcase sites for Party-branch brands",
        epilog="示例 / examples:  python build.py   ·   python build.py check   ·   python build.py new branch 法官妈妈   ·   python build.py serve",
    )
    parser.add_argument("--debug", action="store_true",
                        help="内部出错时显示完整的错误信息（给技术人员） / show tracebacks of internal errors")
    sub = parser.add_subparsers(dest="command", metavar="{build,check,new,import,serve,review,sign,package}", parser_class=_Parser)
    b = sub.add_parser("build", help="检查并生成网站到 site/ / validate, then build site/")
    _common(b)
    c = sub.add_parser("check", help="只检查、不写文件，列出全部问题 / validate everything, write nothing")
    _common(c)
    c.add_argument("--report", type=Path, default=None, help="写出检查报告 HTML / write an HTML report")
    c.add_argument("--external", action="store_true",
                   help="列出全部外部链接（不联网） / list every external link (no network)")
    n = sub.add_parser("new", help="新建网站或品牌文件 / write a new site or a ready-to-fill branch file")
    n.add_argument("what", choices=["branch", "site"], help="branch（品牌文件）或 site（整个网站）")
    n.add_argument("name", nargs="?", default=None,
                   help="branch：品牌名称，如 法官妈妈 / brand name; site：新网站的文件夹（默认当前文件夹） / folder")
    n.add_argument("--root", type=Path, default=Path("."), help="网站源文件所在文件夹 / site source folder")
    _import_parser(sub)
    s = sub.add_parser("serve", help="本地预览，修改后自动刷新 / preview with live reload")
    _common(s)
    s.add_argument("--port", type=int, default=8000, help="端口，0 表示自动选择 / port (0 = any free port)")
    s.add_argument("--host", default="127.0.0.1", help="监听地址 / bind address (default 127.0.0.1)")
    from brandsite.review_cli import add_parsers  # 先审后发: review, sign, package

    add_parsers(sub, _common)
    return parser


def _import_parser(sub: Any) -> None:
    i = sub.add_parser("import", help="把 Word 材料（.docx）导入为品牌草稿 / turn a .docx report into draft branch files")
    i.add_argument("docx", type=Path, help="Word 材料 / the .docx file, e.g. 材料.docx")
    i.add_argument("--unit", default="", help="所属单位 id（data/units.yaml） / unit id for every draft")
    i.add_argument("--root", type=Path, default=Path("."), help="网站源文件所在文件夹 / site source folder")
    i.add_argument("--split", choices=["auto", "heading", "none"], default="auto",
                   help="怎样分成品牌：auto 自动、heading 按标题、none 整篇一个品牌 / how to find brand sections")


class ProgressBar:
    """A one-line bar on a terminal, shown only once a build has taken over a second."""

    def __init__(self, stream: object = None) -> None:
        self.stream = stream or sys.stderr
        self.start = time.monotonic()
        self.enabled = hasattr(self.stream, "isatty") and self.stream.isatty()  # type: ignore[attr-defined]
        self.shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled or time.monotonic() - self.start < 1.0 or total <= 0:
            return
        width = 30
        filled = int(width * done / total)
        self.stream.write(f"\r{stage} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")  # type: ignore[attr-defined]
        self.stream.flush()  # type: ignore[attr-defined]
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * 60 + "\r")  # type: ignore[attr-defined]


def _print_report(report: Report, stream: object = None) -> None:
    stream = stream or sys.stderr
    for line in report.lines():
        print(line, file=stream)  # type: ignore[arg-type]


def _options(args: argparse.Namespace, progress: ProgressBar | None = None) -> Any:
    from brandsite import pipeline  # imported late: `--help` should not wait for pypinyin and friends

    return pipeline.Options(root=args.root, out=args.out, drafts=args.drafts, use_cache=not args.no_cache,
                            progress=progress)


def cmd_build(args: argparse.Namespace) -> int:
    if not args.root.is_dir():
        print(f"找不到网站源文件夹 / no such folder: {args.root}", file=sys.stderr)
        return EXIT_USAGE
    bar = ProgressBar()
    from brandsite import pipeline

    result = pipeline.build(_options(args, bar))
    bar.clear()
    _print_report(result.report)
    warnings = len(result.report.warnings)
    if not result.ok:
        n = len(result.report.errors)
        print(f"发现 {n} 个错误，网站没有生成（原有的 site/ 保持不变）。请按上面的提示修改后重试。", file=sys.stderr)
        return EXIT_CONTENT
    print(f"已生成 {result.pages} 个页面（共 {result.written} 个文件），用时 {result.seconds:.2f} 秒，{warnings} 条警告 → {shown(args.out or 'site')}/")
    note = pipeline.drafts_note(result.site, args.drafts)
    if note:
        print(note)
    return EXIT_OK



def cmd_check(args: argparse.Namespace) -> int:
    if not args.root.is_dir():
        print(f"找不到网站源文件夹 / no such folder: {args.root}", file=sys.stderr)
        return EXIT_USAGE
    from brandsite import pipeline

    result = pipeline.check(_options(args))
    _print_report(result.report, sys.stdout)
    n, w = len(result.report.errors), len(result.report.warnings)
    if args.report is not None:
        from brandsite.checks.report import write_report

        write_report(result, args.report)
        print(f"检查报告已写入：{args.report}")
    if args.external:
        from brandsite.checks.report import print_external

        print_external(result, sys.stdout)
    from brandsite.checks.publishcheck import describe

    print("已运行的检查规则：" + "；".join(describe(args.root.resolve())))
    print(f"检查完成：{n} 个错误，{w} 条警告。" + ("" if n else "可以发布。"))
    return EXIT_CONTENT if n else EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    from brandsite.authoring.scaffold import new_branch

    if args.what == "site":
        return _new_site(Path(args.name or "."))
    if not args.name:
        print("请写出品牌名称，如：python build.py new branch 法官妈妈 / usage: new branch NAME", file=sys.stderr)
        return EXIT_USAGE
    report = Report(args.root.resolve())
    path = new_branch(args.root.resolve(), args.name, report)
    if path is None:
        _print_report(report)
        return EXIT_CONTENT
    print(f"已新建：{report.rel(path)}（草稿，填写完成后把 draft 改为 false）")
    return EXIT_OK


def _new_site(folder: Path) -> int:
    from brandsite.authoring.scaffold import new_site

    report = Report(folder.resolve().parent)
    if new_site(folder.resolve(), report) is None:
        _print_report(report)
        return EXIT_CONTENT
    root = str(folder)
    print(f"已新建网站：{shown(root)}/（网站设置 data/site.yaml、统计口径、单位、关于页面）\n"
          f"下一步：python build.py new branch 品牌名称 --root {shown(root)}    然后：python build.py check --root {shown(root)}")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from brandsite.authoring import importer
    from brandsite.authoring.draft import MARK

    if not args.root.is_dir():
        print(f"找不到网站源文件夹 / no such folder: {args.root}", file=sys.stderr)
        return EXIT_USAGE
    root = args.root.resolve()
    try:
        plan = importer.plan(args.docx, root, args.unit, args.split)
        importer.write(plan)
    except importer.ImportProblem as exc:
        print(exc, file=sys.stderr)  # the message names the file
        print("没有写入任何文件。", file=sys.stderr)
        return EXIT_CONTENT
    for target, draft in plan.drafts:
        todo = [f"{n} 条{what}" for n, what in ((len(draft.figures), "数字"), (len(draft.honors), "荣誉")) if n]
        pics = f"，{len(draft.images)} 张图片待写说明" if draft.images else ""
        review = f"，{'、'.join(todo)}待核对" if todo else ""
        print(f"已导入：{target.relative_to(root).as_posix()}（品牌“{draft.brand}”，草稿{review}{pics}）")
    sys.stdout.flush()
    for line in plan.skipped:
        print(f"未导入：{line}", file=sys.stderr)
    sys.stderr.flush()
    if not plan.drafts:
        print("没有写入任何文件。", file=sys.stderr)
        return EXIT_CONTENT
    print(f"共导入 {len(plan.drafts)} 个品牌草稿。请逐个打开，按文件开头的“{MARK}”说明核对数字和荣誉，"
          "给图片写上说明，然后运行 python build.py check --drafts。")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from brandsite.serve.server import serve
    from brandsite.write.claim import preview_folder

    opts = _options(args)
    if args.out is None:  # the preview never writes the folder `build` publishes (site/)
        opts.out = preview_folder(opts.root)
    return serve(opts, args.host, args.port)


def _console_safe() -> None:
    """A console that cannot show a character (a GBK console on Chinese Windows and an emoji or a
    rare character in a file name) shows it as an escape instead of ending the command."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (getattr(stream, "errors", "") or "strict") == "strict":
            reconfigure(errors="backslashreplace")


def main(argv: list[str] | None = None) -> int:
    _console_safe()
    parser = make_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv  # accepted anywhere on the line: it is for whoever helps the editor
    argv = [a for a in argv if a != "--debug"]
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv = ["build", *argv]
    args = parser.parse_args(argv)
    from brandsite.review_cli import HANDLERS as REVIEW_HANDLERS

    handlers = {"build": cmd_build, "check": cmd_check, "new": cmd_new, "serve": cmd_serve, "import": cmd_import, **REVIEW_HANDLERS}
    with _terminate_as_interrupt():
        try:
            return handlers[args.command](args)
        except KeyboardInterrupt:
            return 130
        except OutputRefused as exc:
            print(exc, file=sys.stderr)
            return EXIT_USAGE
        except Exception:
            if debug:
                traceback.print_exc()
            else:
                _apologise(getattr(args, "root", Path(".")))
            return EXIT_CRASH


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (a closed terminal, a service stop) cleans up like Ctrl-C: the staging folder is
    deleted and worker pools are ended, instead of dying mid-write. The previous handler is put
    back afterwards (tests call ``main`` in-process)."""
    try:
        old = signal.signal(signal.SIGTERM, signal.default_int_handler)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


def _apologise(root: Path) -> None:
    """An unexpected error: one short sentence for the editor, the details in a log file."""
    details = traceback.format_exc()
    log = None
    for folder in (root / CACHE_DIR, Path(tempfile.gettempdir())):
        try:
            folder.mkdir(exist_ok=True)
            log = folder / "brandsite-error.log"
            log.write_text(details, encoding="utf-8")
            break
        except OSError:
            log = None
    where = f"详细信息已写入 {log.resolve()}，请把这个文件发给技术支持人员" if log else "详细信息无法写入日志文件"
    print(f"很抱歉，brandsite 内部出错，操作没有完成（这不是内容的问题，原有的网站没有改动）。{where}；"
          "加上 --debug 重新运行可在这里看到详细信息。", file=sys.stderr)
