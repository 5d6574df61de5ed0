# Line and branch-arc coverage of one function's code objects, per execution, and the execution's
# steps, with sys.monitoring (Python 3.12+; sys.settrace otherwise). Each line and branch reports
# itself once per execution and is then switched off (DISABLE), so a covered loop costs almost
# nothing; restart_events() turns them back on for the next execution.
#
# A step is a call of the function's own code or a loop iteration (a jump back to earlier code).
# An execution that takes more steps than it is allowed is cut there and counts as a timeout: the
# same input is cut at the same point on any machine, however busy, so no clock decides the data.
# Work no tracer sees (C-level loops such as `10**10**8`) is left to the sandbox's own window, and
# so is, under sys.settrace, code that catches the cut and loops on: an exception raised by a trace
# function ends tracing. sys.monitoring raises it again at the next step.
import dis
import sys

_UNLIMITED = float('inf')


class StepLimitReached(BaseException):
    """Raised inside the function when one execution takes more steps than it may. A BaseException,
    like KeyboardInterrupt, so that `except Exception` in the code under test does not catch it."""


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


def _lines(code):
    if hasattr(code, 'co_lines'):
        return [line for _, _, line in code.co_lines()]
    return [line for _, line in dis.findlinestarts(code)]  # Python 3.9


def static_totals(codes):
    """(branch arcs, executable lines) of the code objects: the denominators of coverage."""
    arcs = 0
    lines = set()
    for index, code in enumerate(codes):
        if hasattr(code, 'co_branches'):
            arcs += 2 * sum(1 for _ in code.co_branches())
        for line in _lines(code):
            if line is not None and line != code.co_firstlineno:
                lines.add((index, line))
    return arcs, len(lines)


class Coverage:
    """Use as: cov.start(max_steps); run the function; features = cov.stop(). Then cov.steps is how
    many steps the execution took and cov.cut whether it went past max_steps (even if the code
    caught the StepLimitReached and went on)."""

    def __init__(self, codes):
        self.codes = codes
        self.index = {code: i for i, code in enumerate(codes)}
        self.hits = set()
        self.count = [0, _UNLIMITED]  # [steps taken, steps allowed], shared with the callbacks
        self.steps = 0  # of the last execution
        self.cut = False
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
        count = self.count

        def on_line(code, line):
            hits.add((index.get(code, -1), line))
            return disable

        def on_branch(code, source, destination):
            hits.add((index.get(code, -1), source, destination))
            return disable

        def on_start(code, offset):
            count[0] += 1
            if count[0] > count[1]:
                raise StepLimitReached()

        def on_jump(code, source, destination):
            if destination > source:
                return disable  # a forward jump is no loop iteration: this one need not report again
            count[0] += 1
            if count[0] > count[1]:
                raise StepLimitReached()

        branch_events = [getattr(events, name) for name in ('BRANCH_LEFT', 'BRANCH_RIGHT') if hasattr(events, name)]
        if not branch_events:
            branch_events = [events.BRANCH]
        mask = events.LINE | events.JUMP | events.PY_START
        for event in branch_events:
            mon.register_callback(tool, event, on_branch)
            mask |= event
        mon.register_callback(tool, events.LINE, on_line)
        mon.register_callback(tool, events.JUMP, on_jump)
        mon.register_callback(tool, events.PY_START, on_start)
        for code in self.codes:
            mon.set_local_events(tool, code, mask)

    # ---- sys.settrace fallback -----------------------------------------------------------------

    def _trace(self, frame, event, arg):
        index = self.index.get(frame.f_code)
        if index is None:
            return None
        count = self.count
        count[0] += 1  # a call (or a generator resuming)
        if count[0] > count[1]:
            raise StepLimitReached()  # an error in a trace function also ends tracing
        hits = self.hits
        last = [None]

        def local(frame, event, arg):
            if event == 'line':
                line = frame.f_lineno
                hits.add((index, line))
                previous = last[0]
                if previous is not None:
                    hits.add((index, -previous, line))  # a line-to-line arc stands in for a branch
                    if line <= previous:  # back to an earlier line: a loop iteration
                        count[0] += 1
                        if count[0] > count[1]:
                            raise StepLimitReached()
                last[0] = line
            return local

        return local

    # ---- per execution -------------------------------------------------------------------------

    def start(self, max_steps):
        self.hits.clear()
        self.count[0] = 0
        self.count[1] = max_steps
        if self.monitoring is not None:
            self.monitoring.restart_events()
        else:
            sys.settrace(self._trace)

    def stop(self):
        """The features of the execution. The step limit is lifted: our own code after it (a repr,
        a round trip) may still run the function's code, and must not be cut."""
        if self.monitoring is None:
            sys.settrace(None)
        count = self.count
        self.steps = count[0]
        self.cut = count[0] > count[1]
        count[1] = _UNLIMITED
        return frozenset(self.hits)

    def close(self):
        if self.monitoring is not None and self.tool is not None:
            for code in self.codes:
                self.monitoring.set_local_events(self.tool, code, 0)
            self.monitoring.free_tool_id(self.tool)
            self.tool = None


def is_arc(feature):
    return len(feature) == 3
