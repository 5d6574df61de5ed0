# The in-interpreter half of case2code's sandbox: building verdicts (outcomes), running a job's
# calls (calls), per-call limits (limits), and the two hosts that drive them: the native fork
# server (server) and the Pyodide entry point (pyodide_entry). Tools see only `api`.
