# The evaluation tool that runs inside the sandbox: examples.py builds an official Case2Code item's
# `examples` from its `example_str` and describes them.
