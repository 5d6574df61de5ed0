# The inputs tool that runs inside the sandbox (entry module tool.py, handle(payload)):
#   infer, hints          what each parameter probably is, resolved from weighted evidence
#   declared              ... from its annotation, default, docstring and name
#   usage, operations     ... from its use in the body (and what each builtin and method says)
#   scan                  what the code alone says about its names (locals, mappings, links)
#   realistic, values     making and mutating values of those types that look like real data
#   owntypes, candidates  the types taken as a parameter's own; fresh, mutated and targeted inputs
#   repair                inputs fixed after the KeyError they raised
#   session, coverage     running the function with coverage and a step limit
#   fuzz, select          the coverage-guided search and the choice of N inputs
#   mutants               mutants of the function, to choose inputs that tell them apart
#   calls                 candidates as calls and back
#   parse                 reading a model's answer into calls
