# The serve tool that runs inside the sandbox: run_code.py runs one Python program the way
# SandboxFusion's /run_code does (stdin in; stdout, stderr and an exit code out).
