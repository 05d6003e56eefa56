"""Calls from templates (``render/calls.FastContext``) and the relative links of the language switch
(``model/page.relative``) take shortcuts (issue 14, fourth round). Each is compared with the plain
path it replaced, kept here: Jinja's own ``Context.call`` and ``posixpath.relpath``."""

from __future__ import annotations

import posixpath
import shutil
import subprocess
import sys
import traceback
from pathlib import Path

import jinja2
import pytest
from conftest import REPO
from hypothesis import given, settings
from hypothesis import strategies as st

from brandsite import pipeline
from brandsite.core.diagnostics import Report
from brandsite.core.options import Options
from brandsite.features.plugins import FEATURES
from brandsite.model import page
from brandsite.render import calls
from brandsite.render import pages as render

# ----------------------------------------------------------------------------- relative links


def _plain_relative(from_path: str, target: str) -> str:
    """``page.relative`` as first written: ``posixpath.relpath``."""
    if "://" in target or target.startswith(("#", "mailto:", "tel:")):
        return target
    frag = ""
    if "#" in target:
        target, frag = target.split("#", 1)
        frag = "#" + frag
    if target == "" or target.endswith("/"):
        target += "index.html"
    here = posixpath.dirname(from_path)
    return posixpath.relpath(target, here or ".") + frag


_PART = st.sampled_from(["a", "b", "zh-hant", "branches", "index.html", "x.xml", "", ".", "..", "#f", "中"])
_PATH = st.lists(_PART, max_size=5).map("/".join) | st.sampled_from(["/", "/a/", "a//b/", "./a", "a/."])


@settings(max_examples=4000, deadline=None)
@given(_PATH, _PATH)
def test_relative_equals_relpath(from_path, target):
    assert page.relative(from_path, target) == _plain_relative(from_path, target)


@pytest.mark.parametrize(("here", "there"), [
    ("index.html", ""), ("index.html", "zh-hant/"), ("zh-hant/index.html", ""), ("a/b/index.html", "a/b/"),
    ("a/b/index.html", "a/c/x.html"), ("a/index.html", "a"), ("a/b/index.html", "a"), ("404.html", "zh-hant/404.html"),
    ("branches/x/index.html", "zh-hant/branches/x/index.html"), ("zh-hant/tags/t/index.html", "tags/t/#top"),
])
def test_relative_on_the_site_paths_of_the_language_switch(here, there):
    assert page.relative(here, there) == _plain_relative(here, there)


# ----------------------------------------------------------------------------- calls from templates

_TEMPLATES = {
    "macros.html": "{% macro m(x, y=2) %}<{{ x }}|{{ y }}|{{ caller() if caller else '' }}>{% endmacro %}",
    "page.html": (
        '{% from "macros.html" import m %}'
        "{% for i in items %}{{ f(i) }}{{ f(i, k=loop.index) }}{{ m(i) }}{{ m(i, y=loop.index) }}"
        "{% set inner = i %}{{ ctx_fn('x') }}{{ env_fn() }}{{ eval_fn() }}{{ obj(i) }}{{ obj.method(i) }}"
        "{% call m(i) %}in {{ inner }}{% endcall %}{% endfor %}"
        "{{ stop() is undefined }}{{ lam(3) }}{{ marked(1) }}{{ cls_with_ctx() }}{{ dict(a=1) }}{{ range(3) | list }}"
    ),
}


class _Callable:
    def __call__(self, x):
        return f"obj{x}"

    def method(self, x):
        return f"meth{x}"


class _CallableWithContext:
    @jinja2.pass_context
    def __call__(self, context):
        return context["items"][0]


def _functions():
    def f(x, k=0):
        return f"<f{x}{k}>"

    @jinja2.pass_context
    def ctx_fn(context, name):
        return f"ctx:{context.get('inner', '-')}:{name}"

    @jinja2.pass_environment
    def env_fn(environment):
        return f"env:{environment.autoescape}"

    @jinja2.pass_eval_context
    def eval_fn(eval_ctx):
        return f"eval:{eval_ctx.autoescape}"

    def stop():
        raise StopIteration

    def marked(x):
        return x

    marked.jinja_pass_arg = None  # an attribute set by hand, asked like pass_context's
    return {"f": f, "ctx_fn": ctx_fn, "env_fn": env_fn, "eval_fn": eval_fn, "stop": stop, "marked": marked,
            "obj": _Callable(), "lam": lambda x: x * 2, "cls_with_ctx": _CallableWithContext(), "items": ["<a>", 2, "三"]}


@pytest.mark.parametrize("autoescape", [True, False, jinja2.select_autoescape(["html"])])
@pytest.mark.parametrize("name", ["page.html", "page.txt"])  # (by name: escaped or not, the macro is told)
def test_every_kind_of_call_gives_what_jinjas_own_call_gives(autoescape, name):
    out = []
    for context_class in (jinja2.runtime.Context, calls.FastContext):
        env = jinja2.Environment(loader=jinja2.DictLoader({**_TEMPLATES, "page.txt": _TEMPLATES["page.html"]}),
                                 autoescape=autoescape)
        env.context_class = context_class
        out.append(env.get_template(name).render(**_functions()))
    assert out[0] == out[1]
    assert "ctx:<a>:x" in out[1].replace("&lt;", "<").replace("&gt;", ">") and "True" in out[1]


def test_a_template_error_in_a_called_macro_shows_the_same_traceback():
    """The theme's file and line come from the traceback Jinja rewrites: the fast call is hidden in it."""
    seen = []
    for context_class in (jinja2.runtime.Context, calls.FastContext):
        env = jinja2.Environment(loader=jinja2.DictLoader({
            "m.html": "{% macro bad(x) %}\n{{ x.missing.deeper }}\n{% endmacro %}",
            "p.html": '{% from "m.html" import bad %}{{ f(bad) }}',
        }), undefined=jinja2.StrictUndefined)
        env.context_class = context_class
        with pytest.raises(jinja2.UndefinedError) as info:
            env.get_template("p.html").render(f=lambda macro: macro(1))
        seen.append([(Path(f.filename).name, f.lineno, f.name) for f in traceback.extract_tb(info.value.__traceback__)])
    assert seen[0] == seen[1]
    assert ("<template>", 2, "template") in seen[1]


def _pages_both_ways(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[str]]:
    """Every page of ``root`` rendered with the fast calls and with Jinja's own ``Context.call``."""
    report = Report(root)
    opts = Options(root, workers=1)
    site = pipeline.load(opts, report)
    assert report.ok, report.lines()
    branches, news = pipeline.published(site, False)
    from brandsite.derive import statistics
    from brandsite.features import image_process

    stats = statistics.compute(site, branches)
    jobs = render.Pages(site, stats, branches, news, FEATURES).jobs()
    image_process.prepare(root, site, False, 1, False)
    env = render.make_env(root, site.config.theme)
    assert env.context_class is calls.FastContext
    fast = [render.render_job(env, site, j, FEATURES) for j in jobs]
    monkeypatch.setattr(page, "_relpath", lambda target, here: posixpath.relpath(target, here or "."))
    env = render.make_env(root, site.config.theme)
    env.context_class = jinja2.runtime.Context
    plain = [render.render_job(env, site, j, FEATURES) for j in jobs]
    return fast, plain


def test_every_page_of_the_sample_equals_the_plain_paths(tmp_path, monkeypatch):
    root = tmp_path / "sample"
    for name in ("content", "data", "themes"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name)
    fast, plain = _pages_both_ways(root, monkeypatch)
    assert len(fast) > 20 and fast == plain


def test_every_page_of_a_generated_corpus_equals_the_plain_paths(tmp_path, monkeypatch):
    src = tmp_path / "corpus"
    subprocess.run([sys.executable, str(REPO / "bench" / "gen_branches.py"), "60", str(src)], check=True,
                   capture_output=True)
    fast, plain = _pages_both_ways(src, monkeypatch)
    assert len(fast) > 100 and fast == plain
