#!/bin/sh
# The Python tools' unit tests, once per interpreter given (default: python3), from the repository root.
#     test/python/run.sh /root/.pyenv/versions/3.9.18/bin/python3 python3
set -e
cd "$(dirname "$0")/../.."
[ $# -gt 0 ] || set -- python3
for python in "$@"; do
    echo "== $("$python" --version 2>&1)"
    "$python" -m unittest discover -s test/python -t .
done
