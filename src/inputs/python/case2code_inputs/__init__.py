# The inputs tool that runs inside the sandbox (entry module tool.py, handle(payload)):
#   infer, hints, usage   what each parameter probably is (annotations, defaults, docstrings, use)
#   values                making and mutating values of those types
#   session, coverage     running the function with coverage and a step limit
#   fuzz, select          the coverage-guided search and the choice of N inputs
#   calls                 candidates as calls and back
#   parse                 reading a model's answer into calls
