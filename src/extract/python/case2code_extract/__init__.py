# The extraction tools that run inside the sandbox: `extract` (entry module extract.py) finds the
# standalone top-level functions of a file with CPython's own ast (scan.py reads a module and a
# function, carry.py decides what a function needs and assembles it, check.py defines the result
# and checks its names); `extract-standalone` (standalone.py) re-checks functions already extracted.
