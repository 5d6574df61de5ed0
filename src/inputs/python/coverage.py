# Line and branch-arc coverage of one function's code objects, per execution, with sys.monitoring
# (Python 3.12+; sys.settrace otherwise). Each event reports itself once per execution and is then
# switched off (DISABLE), so a covered loop costs almost nothing; restart_events() turns them back on
# for the next execution. A cheap tick on jumps and calls enforces a per-execution time limit.
import sys
import time


class CandidateTimeout(BaseException):
    """Raised inside the function when one execution runs past its own time limit."""


def code_objects(module_code):
    """Every code object defined by a module's code (functions, nested functions, lambdas, classes)."""
    found = []
    stack = [module_code]
    while stack:
        code = stack.pop()
        for const in code.co_consts:
            if hasattr(const, 'co_code'):
                found.append(const)
                stack.append(const)
    return found


def static_totals(codes):
    """(branch arcs, executable lines) of the code objects: the denominators of coverage."""
    arcs = 0
    lines = set()
    for index, code in enumerate(codes):
        if hasattr(code, 'co_branches'):
            arcs += 2 * sum(1 for _ in code.co_branches())
        for _, _, line in code.co_lines():
            if line is not None and line != code.co_firstlineno:
                lines.add((index, line))
    return arcs, len(lines)


class Coverage:
    """Use as: cov.start(limit_ms); run the function; features = cov.stop()."""

    def __init__(self, codes):
        self.codes = codes
        self.index = {code: i for i, code in enumerate(codes)}
        self.hits = set()
        self.deadline = float('inf')
        self.tool = None
        self.monitoring = getattr(sys, 'monitoring', None)
        if self.monitoring is not None:
            self._install_monitoring()

    # ---- sys.monitoring ------------------------------------------------------------------------

    def _install_monitoring(self):
        mon = self.monitoring
        tool = next((t for t in range(1, 6) if mon.get_tool(t) is None), None)
        if tool is None:
            self.monitoring = None
            return
        mon.use_tool_id(tool, 'case2code-inputs')
        self.tool = tool
        events = mon.events
        disable = mon.DISABLE
        index = self.index
        hits = self.hits
        perf_counter = time.perf_counter
        ticks = [0]
        owner = self

        def on_line(code, line):
            hits.add((index.get(code, -1), line))
            return disable

        def on_branch(code, source, destination):
            hits.add((index.get(code, -1), source, destination))
            return disable

        def on_tick(*_):
            ticks[0] += 1
            if ticks[0] & 31 == 0 and perf_counter() > owner.deadline:
                raise CandidateTimeout()

        branch_events = [getattr(events, name) for name in ('BRANCH_LEFT', 'BRANCH_RIGHT') if hasattr(events, name)]
        if not branch_events:
            branch_events = [events.BRANCH]
        mask = events.LINE | events.JUMP | events.PY_START
        for event in branch_events:
            mon.register_callback(tool, event, on_branch)
            mask |= event
        mon.register_callback(tool, events.LINE, on_line)
        mon.register_callback(tool, events.JUMP, on_tick)
        mon.register_callback(tool, events.PY_START, on_tick)
        for code in self.codes:
            mon.set_local_events(tool, code, mask)

    # ---- sys.settrace fallback -----------------------------------------------------------------

    def _trace(self, frame, event, arg):
        code = frame.f_code
        if code not in self.index:
            return None
        index = self.index[code]
        last = [None]
        hits = self.hits

        def local(frame, event, arg):
            if event == 'line':
                line = frame.f_lineno
                hits.add((index, line))
                if last[0] is not None:
                    hits.add((index, -last[0], line))  # a line-to-line arc stands in for a branch
                last[0] = line
                if time.perf_counter() > self.deadline:
                    raise CandidateTimeout()
            return local

        return local

    # ---- per execution -------------------------------------------------------------------------

    def start(self, limit_ms):
        self.hits.clear()
        self.deadline = time.perf_counter() + limit_ms / 1000.0
        if self.monitoring is not None:
            self.monitoring.restart_events()
        else:
            sys.settrace(self._trace)

    def stop(self):
        if self.monitoring is None:
            sys.settrace(None)
        self.deadline = float('inf')
        return frozenset(self.hits)

    def close(self):
        if self.monitoring is not None and self.tool is not None:
            for code in self.codes:
                self.monitoring.set_local_events(self.tool, code, 0)
            self.monitoring.free_tool_id(self.tool)
            self.tool = None


def is_arc(feature):
    return len(feature) == 3
