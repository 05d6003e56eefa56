#!/usr/bin/env bash
# Mutation score of one module against its own tests: tools/mutation.sh numbers
#
# Why: line coverage says a line ran, not that a test would notice if it were wrong. mutmut
# changes the module one small step at a time (< into <=, "余" into "XX余XX", continue into
# break ...) and runs the module's own test files against each change; a change no test
# notices ("survived") is behaviour nobody pinned down. See tests/mutation-equivalent.md for
# the survivors judged equivalent rewrites.
#
# Expects mutmut 3.8 (tested with 3.8.1; not in requirements-dev.txt because CI does not run
# it -- it takes minutes): pip install "mutmut==3.8.1"
#
# It never touches the worktree: the current files (uncommitted edits included) are copied to
# a scratch folder, mutmut runs there with ONE worker (the machine is shared), and every
# mutant gets a CPU-time limit so a mutant that loops forever is killed as a "timeout".
# Tests: tests/test_MODULE.py plus any tests/test_MODULE_*.py (e.g. test_numbers_pinned.py).
# Prints killed / timeout / survived / score; KEEP=1 keeps the scratch folder and lists the
# survivors (then `cd` there and run `mutmut show NAME`).
set -euo pipefail

module=${1:?usage: tools/mutation.sh MODULE   (numbers, pii, slugs, terms, ...)}
module=${module%.py}
module=${module##*/}
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY=${PYTHON:-python3}

path=$(cd "$repo" && find brandsite -name "$module.py" | head -1)
dotted=${path%.py}; dotted=${dotted//\//.}
[ -n "$path" ] || { echo "no module $module.py under brandsite/" >&2; exit 2; }
mapfile -t tests < <(cd "$repo" && ls tests/test_"$module".py tests/test_"$module"_*.py 2>/dev/null || true)
[ ${#tests[@]} -gt 0 ] || { echo "no tests/test_$module.py" >&2; exit 2; }
version=$("$PY" -c 'import importlib.metadata as m; print(m.version("mutmut"))' 2>/dev/null) || {
  echo 'mutmut is not installed: pip install "mutmut==3.8.1"' >&2; exit 2; }
case "$version" in 3.8.*) ;; *) echo "warning: expected mutmut 3.8, found $version" >&2 ;; esac

scratch=$(mktemp -d "${TMPDIR:-/tmp}/brandsite-mutation-$module.XXXXXX")
if [ "${KEEP:-0}" = 1 ]; then
  echo "scratch copy: $scratch"
else
  trap 'rm -rf -- "$scratch"' EXIT
fi

# Working-tree files (edits included), without generated or machine-local folders.
tar -C "$repo" -cf - --exclude=.git --exclude=site --exclude=node_modules --exclude=mutants \
  --exclude=test-artifacts --exclude=__pycache__ --exclude='.brandsite-*' --exclude=.hypothesis \
  --exclude=.pytest_cache --exclude=.ruff_cache . | tar -C "$scratch" -xf -

{
  printf '\n[tool.mutmut]\n'
  printf 'source_paths = ["brandsite"]\n'
  printf 'only_mutate = ["%s"]\n' "$path"
  printf 'also_copy = ["data", "content", "themes", "docs", "tools", "build.py"]\n'
  printf 'pytest_add_cli_args_test_selection = [%s]\n' "$(printf '"%s", ' "${tests[@]}" | sed 's/, $//')"
  printf 'pytest_add_cli_args = ["-p", "no:cacheprovider", "-p", "no:randomly", "-q"]\n'
  # CPU limit per mutant = (its tests' measured time + constant) * multiplier * 2 seconds.
  printf 'timeout_multiplier = 4.0\n'
  printf 'timeout_constant = 1.0\n'
  printf 'use_git_change_detection = false\n'
} >>"$scratch/pyproject.toml"

# mutmut forks every mutant from one warmed-up process: a result cached there (slugify's
# lru_cache) would answer without running the mutant. Empty the module's caches per test.
cat >>"$scratch/tests/conftest.py" <<EOF


@pytest.fixture(autouse=True)
def _mutation_fresh_caches():
    import ${dotted} as _module

    for _value in vars(_module).values():
        if callable(getattr(_value, "cache_clear", None)):
            _value.cache_clear()
EOF

cd "$scratch"
echo "mutmut $version on $path with ${tests[*]} (one worker) ..."
if ! "$PY" -P -m mutmut run --max-children 1 >"$scratch/mutmut.log" 2>&1; then
  tail -n 40 "$scratch/mutmut.log" >&2
  exit 1
fi
"$PY" -P -m mutmut export-cicd-stats >/dev/null
"$PY" - "$module" <<'EOF'
import json, sys
s = json.load(open("mutants/mutmut-cicd-stats.json"))
tested = s["total"] - s["skipped"]  # mutmut's own formula: untested mutants count as survivors
killed = s["killed"] + s["timeout"]
score = 100 * killed / tested if tested else 0.0
print(f"{sys.argv[1]}.py: mutants {s['total']}, killed {s['killed']}, timeout {s['timeout']}, "
      f"survived {s['survived']}, no tests {s['no_tests']}, suspicious {s['suspicious']}, "
      f"score {score:.1f} %")
EOF
if [ "${KEEP:-0}" = 1 ]; then
  "$PY" -P -m mutmut results | grep -v ': killed$' || true
fi
