# The forked child: it runs one job and is thrown away. Before any untrusted code runs it drops
# every descriptor but its result pipe, leaves the server's session, takes its resource limits and
# the seccomp filter. Outcomes go to the pipe as JSON lines; the server checks each one.
import json
import os
import random
import resource
import signal
import struct
import sys
import time

from case2code_sandbox import limits
from case2code_sandbox.calls import Batcher, Job, not_json, run_calls, run_tool, tool_result


# Each call's window: at `timeout_s` of CPU time the code is interrupted (KeyboardInterrupt, at its
# next bytecode); code stuck in one C call (sum(range(10**12))) cannot see that, so at
# HARD_FACTOR times the window of user CPU time SIGVTALRM ends the process. Wall-clock time may run
# WALL_FACTOR times the window plus WALL_SLACK_S: only code that sleeps or blocks gets there.
HARD_FACTOR = 2
HARD_SLACK_S = 0.1
WALL_FACTOR = 2
WALL_SLACK_S = 1.0


class Settings:
    """What the server hands a child: the job's windows and the process limits."""

    def __init__(self, timeout_s, cpu_budget_s, address_space, file_size, open_files, threads, child_filter, devnull, seed_random):
        self.timeout_s = timeout_s
        self.cpu_budget_s = cpu_budget_s
        self.address_space = address_space
        self.file_size = file_size
        self.open_files = open_files
        self.threads = threads
        self.child_filter = child_filter  # seccomp.ChildFilter, or None without seccomp
        self.devnull = devnull  # /dev/null, opened once by the server: the child's standard streams
        # Whether the child seeds `random` itself; otherwise it inherits the server's state,
        # seeded once just before the first fork (the server draws no random number).
        self.seed_random = seed_random

    @property
    def cpu_limit_s(self):
        """RLIMIT_CPU counts whole seconds: the budget rounded up, plus one for the harness."""
        return max(1, int(self.cpu_budget_s + 1.999))


def _on_timer(signum, frame):
    limits.mark_expired()
    raise KeyboardInterrupt('time limit')


# A call that sleeps (or blocks) until its wall-clock backstop spends the whole job: otherwise a
# function that sleeps in every call holds its worker for calls x backstop (a reward server's
# denial of service). But a call that computes and only gets little of a busy machine's CPU is
# not sleeping: its CPU timers will end it at the same point of its work whatever the load, so
# where it made CPU progress since the last look, the backstop looks again later (at most
# WALL_LOOKS times a job, which bounds what code that sleeps and computes by turns can hold). So
# no load decides a verdict; only code that waits reaches it.
WALL_PROGRESS_SHARE = 0.02
WALL_LOOKS = 20  # BACKSTOP_LOOKS in protocol.ts: the host bounds the 'alive' messages by it
_slept = [False]
_wall = {'cpu': 0.0, 'looks': 0}


def _on_wall_backstop(signum, frame):
    cpu = time.process_time()
    if cpu - _wall['cpu'] >= _window['wall'] * WALL_PROGRESS_SHARE and _wall['looks'] < WALL_LOOKS:
        _wall['cpu'] = cpu
        _wall['looks'] += 1
        signal.setitimer(signal.ITIMER_REAL, _window['wall'])
        return
    _slept[0] = True
    _on_timer(signum, frame)


# The current call window's three timers (seconds), set per job by the child.
_window = {'cpu': 0.0, 'hard': 0.0, 'wall': 0.0}


def _renew():
    _wall['cpu'] = time.process_time()
    signal.setitimer(signal.ITIMER_PROF, _window['cpu'])
    signal.setitimer(signal.ITIMER_VIRTUAL, _window['hard'])
    signal.setitimer(signal.ITIMER_REAL, _window['wall'])


def _stop():
    signal.setitimer(signal.ITIMER_PROF, 0)
    signal.setitimer(signal.ITIMER_VIRTUAL, 0)
    signal.setitimer(signal.ITIMER_REAL, 0)


def prepare_in_server(workdir):
    """What every child would set the same way, set once in the server and inherited by fork:
    the timers' handlers (the server never arms a timer, so they never run there), the default
    actions that end a process, TMPDIR."""
    signal.signal(signal.SIGPROF, _on_timer)
    signal.signal(signal.SIGALRM, _on_wall_backstop)
    signal.signal(signal.SIGVTALRM, signal.SIG_DFL)  # its default action ends the process
    # Past the soft CPU limit the kernel sends SIGXCPU; its default action ends the process.
    signal.signal(signal.SIGXCPU, signal.SIG_DFL)
    limits.configure(renew=_renew, stop=_stop)
    os.environ['TMPDIR'] = workdir


def _start_timers(timeout_s):
    _window.update(cpu=timeout_s, hard=timeout_s * HARD_FACTOR + HARD_SLACK_S, wall=timeout_s * WALL_FACTOR + WALL_SLACK_S)


def _confine(settings, pipe_fd, workdir):
    """Everything between fork and the first untrusted line; any failure ends the child."""
    for fd in (0, 1, 2):
        os.dup2(settings.devnull, fd)
    os.closerange(3, pipe_fd)
    os.closerange(pipe_fd + 1, 65536)
    os.setsid()  # its own session: signals to the server's group never reach it, and back
    os.chdir(workdir)
    for name, value in ((resource.RLIMIT_AS, settings.address_space),
                        (resource.RLIMIT_FSIZE, settings.file_size), (resource.RLIMIT_NOFILE, settings.open_files),
                        (resource.RLIMIT_NPROC, settings.threads), (resource.RLIMIT_CORE, 0)):
        if value is not None:
            resource.setrlimit(name, (value, value))
    # At the soft CPU limit the kernel sends SIGXCPU, which ends the child and names the cause.
    # A hard limit equal to it would send SIGKILL instead, whose rusage can read just under the
    # limit on a busy machine (the server would call the budget's end a crash); the hard limit a
    # second later only ends code that catches SIGXCPU.
    resource.setrlimit(resource.RLIMIT_CPU, (settings.cpu_limit_s, settings.cpu_limit_s + 1))
    if settings.child_filter is not None:
        settings.child_filter.install_for(os.getpid())


def _send(pipe, message):
    data = (json.dumps(message, separators=(',', ':'), ensure_ascii=True) + '\n').encode('ascii')
    os.write(pipe, data) if len(data) < 4096 else _write_all(pipe, data)


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _run_function(job, indices, pipe, budget_s, setup_code, marks):
    batcher = Batcher(lambda message: _send(pipe, message))
    started = time.process_time()
    runner = Job(job['code'], job['entry'], job.get('setup'), setup_code)
    marks[0] = MARK_DEFINED  # from here on, a death is blamed on a call, not on the code
    # The job's CPU budget (totalMs) is spent by CPU time, or by a call that slept to its backstop.
    run_calls(runner, job, indices, batcher,
              budget_spent=lambda: _slept[0] or time.process_time() - started >= budget_s,
              before_call=lambda index: IN_FLIGHT.pack_into(marks, IN_FLIGHT_AT, index))


def _run_tool(tools, job, pipe):
    result = tool_result(*run_tool(tools[job['tool']], job['payload']))
    try:
        _send(pipe, {'batch': [result]})
    except (TypeError, ValueError) as exc:  # an answer that is not JSON
        _send(pipe, {'batch': [not_json(exc)]})


# The first byte of the shared page once the code is defined, and at IN_FLIGHT_AT the index of
# the call running: outcomes are sent in batches, so at a death the server learns from the page,
# not from what it has received, which call was in flight. A child may write anything there: it
# only decides how its own job is blamed for its own death.
MARK_DEFINED = 1
IN_FLIGHT = struct.Struct('<i')
IN_FLIGHT_AT = 4

# How a child that could not finish says why (the server reads its exit status).
EXIT_FAILED = 70
EXIT_OUT_OF_MEMORY = 71


def run(settings, tools, job, indices, pipe_fd, workdir, setup_code, marks):
    """The child's whole life. `setup_code`: the job's setup compiled by the server, or None;
    `marks`: the page shared with the server (MARK_DEFINED goes in its first byte). Never returns."""
    code = 0
    try:
        _confine(settings, pipe_fd, workdir)
        if settings.seed_random:
            random.seed(0)
        _start_timers(settings.timeout_s)
        if job['kind'] == 'tool':
            _run_tool(tools, job, pipe_fd)
        else:
            _run_function(job, indices, pipe_fd, settings.cpu_budget_s, setup_code, marks)
    except MemoryError:  # out of memory where no call could catch it (e.g. sending its outcome)
        code = EXIT_OUT_OF_MEMORY
    except BaseException:  # the server turns a silent exit into a crash verdict for what is left
        code = EXIT_FAILED
    finally:
        try:
            sys.stdout.flush()
        except BaseException:
            pass
        os._exit(code)
