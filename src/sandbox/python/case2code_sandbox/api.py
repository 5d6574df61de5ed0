# What trusted tool modules (extract, inputs, eval) may use from the sandbox. Tools import it as
#     from case2code_sandbox import api as harness
# It is the same module on both backends and on the host's own python (unit tests), where
# checkpoint() does nothing.
from case2code_sandbox.calls import build_arguments, fresh_namespace, run_captured
from case2code_sandbox.outcomes import config, exception_outcome, return_outcome, safe_repr
from case2code_sandbox import limits


def checkpoint():
    """Start a new per-execution time window. Call it before each untrusted execution: the window
    is the job's `timeoutMs`, counted in CPU time of the process that runs the code."""
    limits.renew_window()


__all__ = ['build_arguments', 'checkpoint', 'config', 'exception_outcome', 'fresh_namespace',
           'return_outcome', 'run_captured', 'safe_repr']
