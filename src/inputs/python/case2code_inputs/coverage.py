# Line and branch-arc coverage of one function's code objects, per execution, and the execution's
# steps, with sys.monitoring (Python 3.12+; sys.settrace otherwise).
#
# Features are the same on every version: a line is (0, line), a branch arc (1, point, arm) for a
# branch point of branch_points.py, which come from the source, so 3.9 and 3.14 count the same
# arcs and the fuzzer is guided the same way. Each version sees them its own way (branches.py
# says which jump decides which arc): 3.14 reports each way of a jump (BRANCH_LEFT / _RIGHT);
# 3.12 and 3.13 report a jump with where it went (BRANCH); 3.9 to 3.11 trace the opcodes of the
# lines that hold a jump, and where the next instruction is tells which way it went.
#
# Under sys.monitoring each line and branch reports itself once per execution and is then switched
# off (DISABLE), so a covered loop costs almost nothing; restart_events() turns them back on for
# the next execution. (3.12 and 3.13 switch off both ways of a jump at once: a jump stays on until
# it went both ways.)
#
# A step is a call of the function's own code or a loop iteration (a jump back to earlier code).
# An execution that takes more steps than it is allowed is cut there and counts as a timeout: the
# same input is cut at the same point on any machine, however busy, so no clock decides the data.
# Work no tracer sees (C-level loops such as `10**10**8`) is left to the sandbox's own window, and
# so is, under sys.settrace, code that catches the cut and loops on: an exception raised by a trace
# function ends tracing. sys.monitoring raises it again at the next step.
import ast
import bisect
import dis
import sys

from case2code_inputs.branches import Branches, code_objects, instruction_lines

_UNLIMITED = float('inf')
_MID_LINE_ENTRIES = sys.version_info < (3, 10)  # 3.9 reports a line only where its range starts


class StepLimitReached(BaseException):
    """Raised inside the function when one execution takes more steps than it may. A BaseException,
    like KeyboardInterrupt, so that `except Exception` in the code under test does not catch it."""


def _lines(code):
    if hasattr(code, 'co_lines'):
        return [line for _, _, line in code.co_lines()]
    return [line for _, line in dis.findlinestarts(code)]  # Python 3.9


class Codes:
    """A module's code as coverage counts it: its code objects (`objects`: functions, lambdas,
    comprehensions, classes), the executable lines that run when its functions are called, and
    its branch points. `source` is the text `module_code` was compiled from."""

    def __init__(self, module_code, source):
        self.objects = code_objects(module_code)
        self.branches = Branches(ast.parse(source), self.objects, module_code)
        # Lines of the code objects that run in a call; a code object's first line is its `def`.
        lines = set()
        for code, runs in zip(self.objects, self.branches.runs):
            if runs:
                lines.update(line for line in _lines(code) if line is not None and line != code.co_firstlineno)
        self.lines = frozenset(lines - self.branches.skipped_lines)


def static_totals(codes):
    """(branch arcs, executable lines) of the Codes: the denominators of coverage."""
    return 2 * len(codes.branches.points), len(codes.lines)


class Coverage:
    """Use as: cov.start(max_steps); run the function; features = cov.stop(). Then cov.steps is how
    many steps the execution took and cov.cut whether it went past max_steps (even if the code
    caught the StepLimitReached and went on). `codes` is a Codes."""

    def __init__(self, codes):
        self.codes = codes.objects
        self.index = {code: i for i, code in enumerate(self.codes)}
        self.line_features = {line: (0, line) for line in codes.lines}
        # Per code object: {offset of a jump: (offset after it, its target, arcs if it falls
        # through, arcs if it jumps)}.
        self.branches = [{offset: (after, target, _arcs(fell), _arcs(jumped))
                          for offset, (after, target, fell, jumped) in jumps.items()}
                         for jumps in codes.branches.jumps]
        self.hits = set()
        self.seen = {}  # 3.12, 3.13: {(code id, offset): ways this jump went in this execution}
        self.count = [0, _UNLIMITED]  # [steps taken, steps allowed], shared with the callbacks
        self.steps = 0  # of the last execution
        self.cut = False
        self.tool = None
        self.monitoring = getattr(sys, 'monitoring', None)
        if self.monitoring is not None:
            self._install_monitoring()
        if self.monitoring is None:
            self._prepare_trace()

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
        line_features = self.line_features
        hits = self.hits
        seen = self.seen
        count = self.count
        empty = {}
        jumps = {id(code): table for code, table in zip(self.codes, self.branches)}

        def on_line(code, line):
            feature = line_features.get(line)
            if feature is not None:
                hits.add(feature)
            return disable

        def on_left(code, source, destination):  # 3.14: the jump fell through
            entry = jumps.get(id(code), empty).get(source)
            if entry is not None:
                hits.update(entry[2])
            return disable

        def on_right(code, source, destination):  # 3.14: the jump was taken
            entry = jumps.get(id(code), empty).get(source)
            if entry is not None:
                hits.update(entry[3])
            return disable

        def on_branch(code, source, destination):
            # 3.12, 3.13: one event for both ways, so it may be switched off only once it went both.
            entry = jumps.get(id(code), empty).get(source)
            if entry is None:
                return disable
            way = 1 if destination == entry[0] else 2
            hits.update(entry[2] if way == 1 else entry[3])
            key = (id(code), source)
            ways = seen.get(key, 0) | way
            seen[key] = ways
            if ways == 3:
                return disable
            return None

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

        mask = events.LINE | events.JUMP | events.PY_START
        if hasattr(events, 'BRANCH_LEFT'):
            mon.register_callback(tool, events.BRANCH_LEFT, on_left)
            mon.register_callback(tool, events.BRANCH_RIGHT, on_right)
            mask |= events.BRANCH_LEFT | events.BRANCH_RIGHT
        else:
            mon.register_callback(tool, events.BRANCH, on_branch)
            mask |= events.BRANCH
        mon.register_callback(tool, events.LINE, on_line)
        mon.register_callback(tool, events.JUMP, on_jump)
        mon.register_callback(tool, events.PY_START, on_start)
        for code in self.codes:
            mon.set_local_events(tool, code, mask)

    # ---- sys.settrace fallback -----------------------------------------------------------------

    def _prepare_trace(self):
        """For each code object: its jumps by the offsets where an opcode event shows them about
        to run (an EXTENDED_ARG before a jump reports for it), and the lines whose opcodes must be
        traced to see them."""
        self.trace_jumps = []
        self.opcode_lines = []
        for code, table in zip(self.codes, self.branches):
            by_offset = {}
            lines = set()
            if table:
                instructions = list(dis.get_instructions(code))
                line_of = instruction_lines(code)
                for i, ins in enumerate(instructions):
                    entry = table.get(ins.offset)
                    if entry is None:
                        continue
                    by_offset[ins.offset] = (ins.offset,) + entry
                    j = i
                    while j > 0 and instructions[j - 1].opname == 'EXTENDED_ARG':
                        j -= 1
                        by_offset[instructions[j].offset] = (instructions[j].offset,) + entry
                    lines.add(line_of.get(ins.offset))
                if _MID_LINE_ENTRIES:
                    lines |= _lines_jumping_into(code, instructions, line_of, by_offset)
            self.trace_jumps.append(by_offset)
            self.opcode_lines.append(frozenset(lines))

    def _trace(self, frame, event, arg):
        index = self.index.get(frame.f_code)
        if index is None:
            return None
        count = self.count
        count[0] += 1  # a call (or a generator resuming)
        if count[0] > count[1]:
            raise StepLimitReached()  # an error in a trace function also ends tracing
        hits = self.hits
        line_features = self.line_features
        jumps = self.trace_jumps[index]
        opcode_lines = self.opcode_lines[index]
        if opcode_lines:
            # 3.10 reports no line event for a first line that is the code's own (a comprehension,
            # a lambda), and a generator resumes in the middle of a line.
            frame.f_trace_opcodes = frame.f_lineno in opcode_lines
        last = [None]
        pending = [None]  # the jump about to run: where the next event is tells which way it went

        def local(frame, event, arg):
            entry = pending[0]
            if entry is not None and frame.f_lasti != entry[0]:
                pending[0] = None
                at = frame.f_lasti
                if at == entry[1]:
                    hits.update(entry[3])
                elif at == entry[2]:
                    hits.update(entry[4])
            if event == 'opcode':
                entry = jumps.get(frame.f_lasti)
                if entry is not None:
                    pending[0] = entry
            elif event == 'line':
                line = frame.f_lineno
                feature = line_features.get(line)
                if feature is not None:
                    hits.add(feature)
                previous = last[0]
                if previous is not None and line <= previous:  # back to an earlier line: a loop iteration
                    count[0] += 1
                    if count[0] > count[1]:
                        # 3.9 follows a line event with the opcode event and keeps only the
                        # second's outcome: with opcodes traced, this exception would be lost.
                        frame.f_trace_opcodes = False
                        raise StepLimitReached()
                last[0] = line
                if opcode_lines:
                    frame.f_trace_opcodes = line in opcode_lines
                    entry = jumps.get(frame.f_lasti)
                    if entry is not None:
                        pending[0] = entry
            return local

        return local

    # ---- per execution -------------------------------------------------------------------------

    def start(self, max_steps):
        self.hits.clear()
        self.seen.clear()
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


def _arcs(arcs):
    return tuple((1, point, arm) for point, arm in arcs)


def _lines_jumping_into(code, instructions, line_of, jumps):
    """Lines holding a jump into the middle of another line's range, at or before a branch of that
    range: 3.9 reports no line event there, so the opcodes must already be traced."""
    starts = sorted(offset for offset, _ in dis.findlinestarts(code))
    branches = sorted(jumps)
    out = set()
    for ins in instructions:
        target = ins.argval
        if (ins.opcode not in dis.hasjrel and ins.opcode not in dis.hasjabs) or not isinstance(target, int):
            continue
        k = bisect.bisect_right(starts, target)
        start = starts[k - 1] if k else 0
        end = starts[k] if k < len(starts) else len(code.co_code)
        if target == start or start <= ins.offset < end:
            continue  # a line event there, or a jump within the range (traced already if need be)
        b = bisect.bisect_left(branches, target)
        if b < len(branches) and branches[b] < end:
            out.add(line_of.get(ins.offset))
    return out
