# Entry point of the native fork server (run by the host inside the jail as `python3 -s -B serve.py`).
# This file's folder is sys.path[0], so the case2code_sandbox package beside it is found.
from case2code_sandbox.server import main

main()
