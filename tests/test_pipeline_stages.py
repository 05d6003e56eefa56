"""The pipeline's shared parts: dependencies derived from a page's data, cache keys that change
with the libraries that shape an entry."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import branch_text, make_site

from brandsite import pipeline
from brandsite.core import cache
from brandsite.core.diagnostics import Report
from brandsite.features import image_process, images
from brandsite.features.plugins import FEATURES
from brandsite.render.depends import Deriver
from brandsite.write import pages as writing


def _site(root: Path):  # type: ignore[no-untyped-def]
    s = make_site(root)
    stat = ("stats:", "  - metric: 普法宣传", "    value: 65次", "    year: 2024")
    s.branch("a", branch_text("法官妈妈", "xuyi", "slug: faguan-mama", "tags: [普法宣传, 多元解纷]", *stat))
    s.branch("b", branch_text("善调乡村", "ordos", "slug: shantiao", "tags: [多元解纷]", *stat))
    report = Report(root)
    site = pipeline.load(pipeline.Options(root=root, workers=1, use_cache=False), report)
    assert report.ok, report.lines()
    return site


def test_deps_follow_the_documents_and_everything_else_a_page_is_given(tmp_path: Path) -> None:
    site = _site(tmp_path / "src")
    a, b = site.branches if site.branches[0].slug == "faguan-mama" else site.branches[::-1]
    base = Deriver(site.tag_slugs).deps({"branch": a, "related": [b], "counted": {5: "普法宣传"}})
    assert base[:2] == (a.digest, b.digest)  # own document first, then the others, once each
    assert Deriver(dict(site.tag_slugs)).deps({"branch": a, "related": [b], "counted": {5: "普法宣传"}}) == base
    # a tag slug of a document shown (a slug collision elsewhere moved it) changes the page
    moved = {**site.tag_slugs, "多元解纷": "duoyuan-jiefen-2"}
    assert Deriver(moved).deps({"branch": a, "related": [b], "counted": {5: "普法宣传"}}) != base
    # a plain value in the context, a row order, a new key: each changes it
    assert Deriver(site.tag_slugs).deps({"branch": a, "related": [b], "counted": {5: "满意度"}}) != base
    assert Deriver(site.tag_slugs).deps({"branch": a, "related": [b], "counted": {6: "普法宣传"}}) != base
    assert Deriver(site.tag_slugs).deps({"branch": a, "related": [b], "counted": {5: "普法宣传"}, "x": 1}) != base
    rows = [{"slug": "a", "count": 2}, {"slug": "b", "count": 1}]
    assert Deriver({}).deps({"rows": rows}) != Deriver({}).deps({"rows": rows[::-1]})


def test_every_page_of_a_site_gets_derived_deps(tmp_path: Path) -> None:
    from brandsite.derive import statistics
    from brandsite.render import pages as render

    site = _site(tmp_path / "src")
    stats = statistics.compute(site, site.branches)
    jobs = render.Pages(site, stats, site.branches, site.news, FEATURES).jobs()
    by_path = {j.path: j for j in jobs}
    every = {b.digest for b in site.branches}
    assert every <= set(by_path["index.html"].deps) and every <= set(by_path["stats/index.html"].deps)
    for j in jobs:
        assert j.deps, j.path  # at least the digest of its context
        if j.kind == "branch":
            assert j.deps[0] == next(b.digest for b in site.branches if j.path == b.url + "index.html")



def test_a_unit_page_depends_on_its_own_branches_not_on_every_branch_reporting_a_metric(tmp_path: Path) -> None:
    """A unit page shows each metric's name and the unit's own figure. Given the whole ``MetricTotal``
    (which names every branch reporting the metric), every unit page depended on every branch, so a
    story edit anywhere rendered all unit pages again in the preview and in a warm build."""
    from brandsite.derive import statistics
    from brandsite.render import pages as render

    site = _site(tmp_path / "src")  # 法官妈妈 in xuyi, 善调乡村 in ordos, both report 普法宣传
    a, b = site.branches if site.branches[0].slug == "faguan-mama" else site.branches[::-1]
    stats = statistics.compute(site, site.branches)
    jobs = {j.path: j for j in render.Pages(site, stats, site.branches, site.news, FEATURES).jobs()}
    xuyi, ordos = jobs["units/xuyi/index.html"], jobs["units/ordos/index.html"]
    assert a.digest in xuyi.deps and b.digest not in xuyi.deps
    assert b.digest in ordos.deps and a.digest not in ordos.deps
    # what the page shows still comes with it: the metric's definition and the unit's figure
    ((shown, figure),) = xuyi.context["figures"]
    assert shown.metric.name == "普法宣传" and figure.shown.startswith("65")

def test_cache_keys_change_with_the_library_versions(monkeypatch: pytest.MonkeyPatch) -> None:
    before = cache.key("branch", "content/branches/a.md", "d", 80)
    from importlib import metadata  # (cache imports it where it reads the versions)

    real = metadata.version
    monkeypatch.setattr(metadata, "version", lambda name: "99.0" if name == "Markdown" else real(name))
    cache.library_versions.cache_clear()
    cache.code_version.cache_clear()
    try:
        assert "Markdown=99.0" in cache.library_versions()
        assert cache.key("branch", "content/branches/a.md", "d", 80) != before
    finally:
        monkeypatch.undo()
        cache.library_versions.cache_clear()
        cache.code_version.cache_clear()
    assert cache.key("branch", "content/branches/a.md", "d", 80) == before


def test_processed_images_are_keyed_by_the_pillow_version() -> None:
    import PIL

    assert f"pillow={PIL.__version__}" in image_process.settings()


# ------------------------------------------------------------------ features and the import graph


def _imports(name: str, path: Path, modules: set[str]) -> set[str]:
    """The package modules (dotted, below ``brandsite``) that module ``name`` imports, wherever the
    import stands (functions and ``if TYPE_CHECKING:`` blocks included: a circle of type imports
    is still a circle)."""
    import ast

    package = name.split(".")[:-1] if path.name != "__init__.py" else name.split(".")
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            base = package[: len(package) - (node.level - 1)]
        elif node.module == "brandsite" or (node.module or "").startswith("brandsite."):
            base = []
        else:
            continue
        module = (node.module or "").removeprefix("brandsite").removeprefix(".") if not node.level else (node.module or "")
        stem = [*base, *module.split(".")] if module else base
        for alias in node.names:  # `from . import x` names a module; `from .x import y` names one in x
            dotted = ".".join([*stem, alias.name])
            found.add(dotted if dotted in modules else ".".join(stem))
    return {m for m in found if m in modules}


def _graph() -> dict[str, list[str]]:
    package = Path(pipeline.__file__).parent
    paths = {".".join(p.relative_to(package).with_suffix("").parts).removesuffix(".__init__"): p
             for p in package.rglob("*.py")}
    return {name: sorted(m for m in _imports(name, p, set(paths)) if m != name) for name, p in paths.items()}


def test_the_package_has_no_import_cycle_and_render_imports_no_feature() -> None:
    from graphlib import CycleError, TopologicalSorter

    graph = _graph()
    assert "checks.links" in graph and "render.pages" in graph
    assert "checks.scan" in graph["checks.inspect"] and "core.diagnostics" in graph["checks.links"]
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        raise AssertionError(f"import cycle: {exc.args[1]}") from None
    assert set(order) == set(graph)
    plugged = {"features.hant", "features.images", "features.image_process", "features.image_check",
               "features.search", "features.plugins"}
    assert not plugged & set(graph["render.pages"]), graph["render.pages"]


#: The package's folders in pipeline order, then the modules at its top: a module may import only from
#: its own layer and the ones before it. ``pipeline`` runs the stages; the preview (``serve``) runs
#: the pipeline on what changed; the command lines (``review_cli``, ``cli``) stand above everything.
LAYERS = ["core", "model", "content", "derive", "features", "render", "checks", "write", "publish", "authoring",
          "pipeline", "serve", "review_cli", "cli", "__init__"]


def test_the_folders_are_the_pipeline_stages_and_import_only_earlier_ones() -> None:
    graph = _graph()
    layers = {name.split(".")[0] for name in graph}
    assert layers == set(LAYERS), layers ^ set(LAYERS)  # a new folder or top module takes its place in LAYERS
    assert "pipeline" in graph["serve.incremental"]  # the top-level imports are seen too

    def rank(name: str) -> int:
        return LAYERS.index(name.split(".")[0])

    backwards = sorted(f"{name} → {dep}" for name, deps in graph.items() for dep in deps if rank(dep) > rank(name))
    assert not backwards, backwards


def test_features_plug_in_through_the_one_interface(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from brandsite.features import feature as features
    from brandsite.features import hant, plugins

    root = tmp_path / "src"
    _site(root)
    stamp = features.Feature(
        "stamp",
        context=lambda site, job: {"stamp": "x"},
        finish=lambda site, job, html: html.replace("</body>", f"<!-- {job.kind} --></body>"),
        files=lambda site, jobs, run: iter([("stamp.txt", f"{len(jobs)} pages\n")]),
    )
    for module in (pipeline, writing):  # the page list and extra files; the finishing step
        monkeypatch.setattr(module, "FEATURES", (images.FEATURE, hant.FEATURE, stamp))
    result = pipeline.build(pipeline.Options(root=root, out=tmp_path / "a" / "site", workers=1, use_cache=False))
    assert result.ok, result.report.lines()
    site = tmp_path / "a" / "site"
    assert not (site / "search").exists()  # the search feature left out: neither its page nor its index
    assert (site / "stamp.txt").read_text(encoding="utf-8") == f"{result.pages} pages\n"
    assert "<!-- branch --></body>" in (site / "branches" / "faguan-mama" / "index.html").read_text(encoding="utf-8")
    for module in (pipeline, writing):
        monkeypatch.setattr(module, "FEATURES", plugins.FEATURES)
    full = pipeline.build(pipeline.Options(root=root, out=tmp_path / "b" / "site", workers=1, use_cache=False))
    assert (tmp_path / "b" / "site" / "search" / "index.html").is_file() and full.pages == result.pages + 1
