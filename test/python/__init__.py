# Unit tests of the Python tools on the host's own python, without a sandbox:
#     python3 -m unittest discover -s test/python -t .      (from the repository root)
#     test/python/run.sh [python ...]                       (the same, once per interpreter)
# The tools' packages and the sandbox's api (whose checkpoint() does nothing here, and whose
# windows never expire) are made importable before any test module is loaded.
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
for folder in ('src/sandbox/python', 'src/inputs/python', 'src/extract/python', 'src/eval/python'):
    path = os.path.join(ROOT, *folder.split('/'))
    if path not in sys.path:
        sys.path.insert(0, path)
