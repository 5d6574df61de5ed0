# Makes test/ a package so that `python3 -m unittest discover -s test/python -t .` (run from the
# repository root) imports test/python/ as test.python, not the standard library's `test` package.
