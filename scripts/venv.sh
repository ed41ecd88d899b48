# Sourced by scripts/test, scripts/python-check and scripts/release-check
# (from the repository root). Makes the project's own virtual environment,
# target/venv, installs the given requirement files into it, and puts it
# first on PATH, so that nothing is installed into the user's Python and a
# system Python that refuses global installs (PEP 668) works too.
#
# Environment: PYTHON, the interpreter the environment is made from
# (default python3); VENV_DIR (default target/venv). The environment is
# reused while its interpreter runs and it was made from the same Python
# installation (PYTHON may be a venv of it, or this environment itself); a
# requirement file is installed again when it changed since.
#
# Usage: use_venv scripts/requirements/test.txt [more requirement files]

use_venv() {
    local base="${PYTHON:-python3}" dir="${VENV_DIR:-target/venv}" origin f
    origin="$("$base" -c 'import sys; print(sys.version, sys.base_prefix)')" || {
        echo "error: cannot run the Python interpreter '$base' (set PYTHON)" >&2
        return 1
    }
    if ! { "$dir/bin/python" -c 'import pip' 2>/dev/null \
        && [ "$(cat "$dir/.made-from" 2>/dev/null)" = "$origin" ]; }; then
        echo "==> making the virtual environment $dir from $base"
        "$base" -m venv --clear "$dir" || {
            echo "error: '$base -m venv' failed (on Debian or Ubuntu: apt-get install python3-venv)" >&2
            return 1
        }
        printf '%s\n' "$origin" >"$dir/.made-from"
    fi
    for f in "$@"; do
        if ! cmp -s "$f" "$dir/.installed-$(basename "$f")"; then
            echo "==> installing $f into $dir"
            "$dir/bin/python" -m pip install --disable-pip-version-check --quiet -r "$f" || return 1
            cp "$f" "$dir/.installed-$(basename "$f")"
        fi
    done
    VIRTUAL_ENV="$(cd "$dir" && pwd)"
    PATH="$VIRTUAL_ENV/bin:$PATH"
    PYTHON="$VIRTUAL_ENV/bin/python"
    export VIRTUAL_ENV PATH PYTHON
    unset PYTHONHOME
}
