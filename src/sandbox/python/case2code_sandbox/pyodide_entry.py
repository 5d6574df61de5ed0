# The Pyodide backend's half inside the interpreter. setup() runs once, at start-up, before the
# worker takes the memory image it puts back after every job; run_job() then runs one job on a
# pristine interpreter each time, so nothing one function does survives into the next (the
# wasm counterpart of the native server's fork).
#
# The worker talks to this module only through three character devices (no JS object is ever
# handed to Python):
#   /dev/c2c-job    read: the job, as JSON
#   /dev/c2c-out    write: one JSON line per message, as child.py writes to its pipe
#   /dev/c2c-clock  write b'r' / b's': a time window starts / stops; read: one byte of flags,
#                   1: the run's CPU budget is spent, 2: the open window ran out
import gc
import importlib
import json
import os
import random
import signal
import sys

from case2code_sandbox import limits, pyodide_guards
from case2code_sandbox.calls import Batcher, Job, not_json, run_calls, run_tool, tool_result
from case2code_sandbox.outcomes import config, describe
from case2code_sandbox.preload import preload_common_modules

_fds = {}
_tools = {}
_window = [False]


def setup():
    """Everything a job finds ready: caps, common modules, tools, the channel, the guards. The init
    message comes through the job device; the answer (or the error) goes out as one line."""
    _fds['job'] = os.open('/dev/c2c-job', os.O_RDONLY)
    _fds['out'] = os.open('/dev/c2c-out', os.O_WRONLY)
    _fds['clock'] = os.open('/dev/c2c-clock', os.O_RDWR)
    try:
        init = _read_job()
        options = init['options']
        config.update({'repr_cap': options['reprCap'], 'output_cap': options['outputCap'],
                       'hash_seed': options['hashSeed']})
        if '' in sys.path:
            sys.path.remove('')
        sys.dont_write_bytecode = True
        preload_common_modules()
        for name, module in init['tools'].items():
            _tools[name] = importlib.import_module(module).handle
        limits.configure(renew=_renew, stop=_stop)
        signal.signal(signal.SIGINT, _on_interrupt)
        left = pyodide_guards.harden(options['hashSeed'], init.get('pythonGuards', True))
        _make_sleep_interruptible()  # after the guards, which put back the sleep Pyodide replaced
        random.seed(0)
        gc.collect()
        gc.freeze()  # start-up objects stay out of every collection a job triggers
        _send({'setup': {'python': sys.version.split()[0], 'jsObjectsLeft': left}})
    except BaseException:
        import traceback
        _send({'setupError': traceback.format_exc()[-4000:]})


def _make_sleep_interruptible():
    """Pyodide's time.sleep busy-waits in C and never sees the interrupt: sleep in short slices."""
    import functools
    import time
    original = time.sleep

    @functools.wraps(original)
    def sleep(secs):
        if type(secs) not in (int, float) or not secs > 0:
            return original(secs)  # zero, and the original's own errors
        end = time.monotonic() + secs
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return None
            original(min(left, 0.005))

    time.sleep = sleep


# ---- time windows ------------------------------------------------------------------------------

_BUDGET_SPENT, _WINDOW_EXPIRED = 1, 2


def _on_interrupt(signum, frame):
    # An interrupt counts only for the window it was sent for: one that lands just as a call ends
    # belongs to no execution (or to the next call, which has done nothing wrong) and is dropped.
    if _window[0] and _clock_flags() & (_BUDGET_SPENT | _WINDOW_EXPIRED):
        limits.mark_expired()
        raise KeyboardInterrupt('time limit')


def _clock_flags():
    return os.read(_fds['clock'], 1)[0]


def _renew():
    _window[0] = True
    signal.signal(signal.SIGINT, _on_interrupt)  # the code under test may have replaced it
    os.write(_fds['clock'], _opening[0])


# What _renew writes: b'r', or, before a call, b'c' + its index + b'r' (the worker blames the call
# in flight at a death, since outcomes go out in batches).
_opening = [b'r']


def _stop():
    _window[0] = False
    os.write(_fds['clock'], b's')


def _budget_spent():
    return bool(_clock_flags() & _BUDGET_SPENT)


# ---- one job -----------------------------------------------------------------------------------

def _send(message):
    data = (json.dumps(message, separators=(',', ':'), ensure_ascii=True) + '\n').encode('ascii')
    view = memoryview(data)
    while view:
        view = view[os.write(_fds['out'], view):]


def _read_job():
    parts = []
    while True:
        chunk = os.read(_fds['job'], 1 << 20)
        if not chunk:
            return json.loads(b''.join(parts))
        parts.append(chunk)


def _run_function(job, indices):
    runner = Job(job['code'], job['entry'], job.get('setup'))
    _send({'defined': True})  # from here on, a death is blamed on a call, not on the code
    def open_window_for(index):  # the call in flight travels with the window's opening
        _opening[0] = b'c' + index.to_bytes(4, 'little', signed=True) + b'r'

    run_calls(runner, job, indices, Batcher(_send), budget_spent=_budget_spent, before_call=open_window_for)


def _run_tool(job):
    outcome, value = run_tool(_tools[job['tool']], job['payload'])
    if _budget_spent():  # as RLIMIT_CPU ends a native tool child: no answer, a timeout
        outcome = {'verdict': 'timeout', 'ms': outcome.get('ms', 0), 'message': 'CPU limit of the job'}
    try:
        _send({'batch': [tool_result(outcome, value)]})
    except (TypeError, ValueError) as exc:  # an answer that is not JSON
        _send({'batch': [not_json(exc)]})


def run_job():
    """One job, read from the channel. Whatever it leaves behind is wiped by the worker."""
    request = _read_job()
    job = request['job']
    try:
        if job['kind'] == 'tool':
            _run_tool(job)
        else:
            _run_function(job, request['indices'])
    except BaseException as exc:  # the harness itself failed: the worker blames the call in flight
        _send({'harness': describe(exc)})
