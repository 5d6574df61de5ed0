# The native backend's fork server: a trusted parent inside the jail. It imports the harness, the
# common modules and the tools once, then forks one child per job; the child runs all the job's
# calls and is thrown away, so nothing one function does survives into the next. The parent reads
# the child's outcomes with a size cap and a wall-clock backstop, checks each one, and answers the
# host in JSON lines on stdout (requests come as JSON lines on stdin).
import ctypes
import gc
import importlib
import json
import mmap
import os
import random
import select
import shutil
import signal
import sys
import time

from case2code_sandbox import child, seccomp
from case2code_sandbox.calls import NOT_RUN, NOT_RUN_AFTER_TIMEOUT, compile_setup, outcome_item
from case2code_sandbox.outcomes import config
from case2code_sandbox.preload import preload_common_modules

MAX_RESTARTS = 2          # a job whose child died mid-way goes on in a new child, at most this often
BACKSTOP_SLACK_S = 2.0    # past the child's own wall timer, before the parent kills it
JOB_CPU_LIMIT = 'CPU limit of the job'
VERDICTS = frozenset({'return', 'raise', 'timeout', 'memory', 'crash', 'bad-input'})


def _send(message, flush=True):
    """One line to the host; `flush=False` when another follows at once (one write for both)."""
    _write(json.dumps(message, separators=(',', ':'), ensure_ascii=True).encode('ascii') + b'\n', flush)


def _write(data, flush):
    out = sys.stdout.buffer
    out.write(data)
    if flush:
        out.flush()


class Server:
    def __init__(self, init):
        self.options = init['options']
        config.update({'repr_cap': self.options['reprCap'], 'output_cap': self.options['outputCap'],
                       'hash_seed': self.options['hashSeed']})
        self.seccomp_reason = seccomp.available() if init.get('seccomp', True) else 'turned off'
        preload_common_modules()
        self.tools = {name: importlib.import_module(module).handle for name, module in init['tools'].items()}
        # The most bytes one child line may hold: a call's outcome is bounded by the caps (JSON
        # may escape each character as \uXXXX); a tool's answer by its own limit.
        self.max_outcome_bytes = 6 * (self.options['reprCap'] * 2 + self.options['outputCap'] * 2) + 4096
        self.max_tool_bytes = self.options['maxToolAnswerBytes']
        self.base_address_space = init.get('baseAddressSpace')
        self.setups = SetupCache()
        self.devnull = os.open('/dev/null', os.O_RDWR)
        # One page shared with every child: the child marks it once its code is defined, so that
        # the server knows whom to blame for a death without a message (and a wake-up) for it.
        self.marks = mmap.mmap(-1, mmap.PAGESIZE)
        # Where a child works, and every place it could leave a file behind (wiped after each job).
        # In the jail these are its private tmpfs mounts; without one, a private folder of the host's.
        self.work_root = init['workRoot']
        self.scratch = init['scratch']
        child.prepare_in_server(os.path.join(self.work_root, 'job'))
        _warm_up()
        self.fork = _plain_fork()
        # From here on the server itself runs under the seccomp filter; children add their part.
        self.child_filter = seccomp.install_server_filter() if self.seccomp_reason is None else None
        random.seed(0)  # every child starts from this state (os.fork would reseed it: see _plain_fork)
        gc.collect()
        gc.freeze()  # the objects made so far stay put: a fork shares their pages instead of copying them

    def serve(self):
        layers = {'seccomp': f'off: {self.seccomp_reason}' if self.seccomp_reason else
                  'active: in the server and (stacked) each child, with no_new_privs: no sockets but AF_UNIX, no ptrace, no signals but to itself, '
                  'no new processes or execve, no mount/unshare/setns, no rlimit changes'}
        _send({'type': 'ready', 'python': sys.version.split()[0], 'layers': layers})
        for line in sys.stdin:
            request = json.loads(line)
            if request['type'] == 'job':
                self.run_job(request)

    # ---- one job -----------------------------------------------------------------------------

    def settings(self, job):
        options = self.options
        timeout_s = (job.get('timeoutMs') or options['timeoutMs']) / 1000
        calls = 1 if job['kind'] == 'tool' else len(job['calls'])
        total_s = job['totalMs'] / 1000 if job.get('totalMs') else timeout_s * (calls + 2)
        address_space = None
        if self.base_address_space:
            address_space = self.base_address_space + options['memoryMb'] * 1024 * 1024
        return child.Settings(
            timeout_s=timeout_s, cpu_budget_s=total_s, address_space=address_space,
            file_size=options['fileSizeMb'] * 1024 * 1024, open_files=options['openFiles'],
            threads=options['threads'], child_filter=self.child_filter, devnull=self.devnull,
            seed_random=self.fork is os.fork)

    def run_job(self, request):
        job_id, job = request['id'], request['job']
        pending = list(request['indices'])
        settings = self.settings(job)
        restarts, last_child = 0, False
        while pending:
            done, death, defined, in_flight = self.run_child(job_id, settings, job, pending)
            pending = [index for index in pending if index not in done]
            if not pending:
                return  # run_child said 'done' with the last outcomes
            # The child ended before every call had its outcome: the call in flight gets the cause.
            # The calls it finished before that one (their outcomes batched, not sent yet) and the
            # calls after it go on in a new child.
            blamed = in_flight if defined and in_flight in pending else pending[0]
            _send({'type': 'outcomes', 'id': job_id, 'results': [outcome_item(blamed, death)]})
            at = pending.index(blamed)
            finished, rest = pending[:at], pending[at + 1:]
            restarts += 1
            budget_spent = death.get('message') == JOB_CPU_LIMIT
            timed_out = death['verdict'] == 'timeout' and job.get('stopAfterTimeout')
            if last_child or not defined or budget_spent or timed_out or restarts > MAX_RESTARTS:
                # No more runs for what comes after; what had finished is run once more to get its
                # outcomes back (it ran within the limits once, and runs the same way again).
                note = (death if not defined else NOT_RUN if budget_spent
                        else NOT_RUN_AFTER_TIMEOUT if timed_out else _not_run(death))
                if last_child:
                    finished, rest = [], pending[:at] + rest
                if rest:
                    _send({'type': 'outcomes', 'id': job_id, 'results': [outcome_item(index, note) for index in rest]})
                pending, last_child = finished, True
            else:
                pending = finished + rest
        _send({'type': 'done', 'id': job_id})

    def run_child(self, job_id, settings, job, indices):
        """Fork, run, and pass each checked batch of outcomes on to the host as it comes (a long
        job is not silent). Returns (the indices answered, the outcome for the call it died in,
        whether the code got defined before that, the index of the call in flight or -1)."""
        workdir = os.path.join(self.work_root, 'job')
        if not os.path.isdir(workdir):
            os.mkdir(workdir, 0o700)
        read_fd, write_fd = os.pipe()
        setup_code = self.setups.get(job.get('setup')) if job['kind'] == 'function' else None
        self.marks[0] = 0
        child.IN_FLIGHT.pack_into(self.marks, child.IN_FLIGHT_AT, -1)
        pid = self.fork()
        if pid == 0:
            os.close(read_fd)
            child.run(settings, self.tools, job, indices, write_fd, workdir, setup_code, self.marks)
        os.close(write_fd)
        expected = set(indices)
        got = []
        backstop = settings.timeout_s * child.WALL_FACTOR + child.WALL_SLACK_S + BACKSTOP_SLACK_S
        if job['kind'] == 'tool':
            backstop = max(backstop, settings.cpu_budget_s * child.WALL_FACTOR + BACKSTOP_SLACK_S)
        limit = self.max_tool_bytes if job['kind'] == 'tool' else self.max_outcome_bytes
        death = None
        buffer = b''
        deadline = time.monotonic() + backstop
        # As in the child's own backstop: a child that made CPU progress is computing on a busy
        # machine, not waiting; its CPU limits will end it, so look again later, and tell the host.
        cpu_mark, looks = 0.0, 0
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    cpu = _child_cpu_seconds(pid)
                    if cpu - cpu_mark >= backstop * child.WALL_PROGRESS_SHARE and looks < child.WALL_LOOKS:
                        cpu_mark, looks = cpu, looks + 1
                        deadline = time.monotonic() + backstop
                        _send({'type': 'alive', 'id': job_id})
                        continue
                    death = {'verdict': 'timeout', 'ms': round(backstop * 1000), 'message': 'wall-clock backstop: the child was killed'}
                    break
                ready, _, _ = select.select([read_fd], [], [], left)
                if not ready:
                    continue
                chunk = os.read(read_fd, 1 << 16)
                if not chunk:
                    break
                buffer += chunk
                while b'\n' in buffer:
                    line, buffer = buffer.split(b'\n', 1)
                    checked = _check_line(line, expected, limit, job['kind'] == 'tool')
                    if isinstance(checked, str):
                        death = {'verdict': 'crash', 'message': 'the child sent an invalid message: ' + checked}
                        break
                    indices_answered, results = checked
                    got.extend(indices_answered)
                    # The checked results go on as the child wrote them (a tool's answer may be
                    # megabytes: not serialised twice); the last ones with the job's 'done', in
                    # one write, before the child is reaped and its scratch wiped: the host goes
                    # on while this server cleans up (it reads the next job only after that).
                    _write(b'{"type":"outcomes","id":%d,"results":%s}\n' % (job_id, results), flush=bool(expected))
                    if not expected:
                        _send({'type': 'done', 'id': job_id})
                    deadline = time.monotonic() + backstop
                    cpu_mark, looks = _child_cpu_seconds(pid), 0
                if death is not None or not expected:
                    break  # every call answered: the child has nothing more to say
                if len(buffer) > limit:
                    death = {'verdict': 'crash', 'message': f'the child sent a message over {limit} bytes'}
                    break
        finally:
            os.close(read_fd)
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            _, status, usage = os.wait4(pid, 0)
            self.clean_scratch()
        if death is None and expected:
            death = _death_outcome(status, usage.ru_utime + usage.ru_stime, settings)
        defined = job['kind'] == 'tool' or self.marks[0] == child.MARK_DEFINED
        in_flight = child.IN_FLIGHT.unpack_from(self.marks, child.IN_FLIGHT_AT)[0]
        return set(got), death, defined, in_flight

    def clean_scratch(self):
        """Leave the scratch folders as they were before the job: only the empty work folder."""
        workdir = os.path.join(self.work_root, 'job')
        for root in self.scratch:
            try:
                names = os.listdir(root)
            except OSError:
                continue
            for name in names:
                path = os.path.join(root, name)
                if path == workdir and not os.path.islink(path) and os.path.isdir(path):
                    os.chmod(path, 0o700)
                    if not os.listdir(path):
                        continue
                if os.path.isdir(path) and not os.path.islink(path):
                    shutil.rmtree(path, onerror=_force_remove)
                else:
                    os.unlink(path)


class SetupCache:
    """Compiled setups of the jobs seen so far. An evaluation or a reward server sends the same
    item's setup (the official benchmark's `examples` list) with every answer; compiling it once
    here, instead of in every child, saves about a millisecond per answer. Compiling runs no code;
    a setup that does not compile is left to the child, which reports it as usual. Bounded, so
    that the server (which every fork copies) stays small."""

    MAX_CHARS = 64 * 1024      # a larger setup is compiled in its child
    MAX_TOTAL = 4 * 1024 * 1024

    def __init__(self):
        self.codes = {}
        self.total = 0

    def get(self, setup):
        if not setup or len(setup) > self.MAX_CHARS:
            return None
        code = self.codes.get(setup)
        if code is not None:
            return code
        try:
            code = compile_setup(setup)
        except BaseException:  # SyntaxError, RecursionError, MemoryError: the child will say which
            return None
        while self.codes and self.total + len(setup) > self.MAX_TOTAL:
            oldest = next(iter(self.codes))
            self.total -= len(oldest)
            del self.codes[oldest]
        self.codes[setup] = code
        self.total += len(setup)
        return code


def _warm_up():
    """Run the harness's hot path a few times on trusted code before the first fork: the
    interpreter specialises that bytecode once here, instead of in (and copying the pages of)
    every child."""
    from case2code_sandbox.calls import Job
    saved = sys.stdout
    try:
        for _ in range(3):
            job = Job('def warm(x, y=1):\n    return [x, y, str(x)]\n', 'warm', None)
            for k in range(20):
                json.dumps({'batch': [{'index': k, 'outcome': job.call({'args': [str(k)], 'kwargs': {'y': "'a'"}})}]})
    finally:
        sys.stdout = saved


def _plain_fork():
    """The C library's fork(), called with the interpreter lock held, or os.fork where that
    cannot be had. os.fork also re-initialises the state of other threads and runs Python's
    at-fork hooks (random's reseeding from the OS among them): about 170 more pages that a child
    writes before its first line, a millisecond on a virtual machine. The server has no other
    thread (checked here), so there is nothing to re-initialise, and random is seeded once, in the
    server, for every child."""
    if len(sys._current_frames()) != 1:
        return os.fork
    try:
        libc_fork = ctypes.PyDLL(None, use_errno=True).fork
    except (OSError, AttributeError):
        return os.fork
    libc_fork.restype = ctypes.c_int
    libc_fork.argtypes = ()

    def fork():
        pid = libc_fork()
        if pid < 0:
            raise OSError(ctypes.get_errno(), 'fork failed')
        return pid
    return fork


def _child_cpu_seconds(pid):
    """CPU seconds a live child has used, read from its process CPU clock (the kernel's
    MAKE_PROCESS_CPUCLOCK(pid, CPUCLOCK_SCHED)); 0.0 once it is gone."""
    try:
        return time.clock_gettime((~pid << 3) | 2)
    except OSError:
        return 0.0


def _force_remove(func, path, _exc_info):
    """rmtree met a directory the child made unreadable or unwritable: give it back, try again."""
    os.chmod(os.path.dirname(path), 0o700)
    if os.path.isdir(path) and not os.path.islink(path):
        os.chmod(path, 0o700)
    func(path)


BATCH_START, BATCH_END = b'{"batch":', b'}'
ITEM_KEYS = frozenset({'index', 'outcome', 'value'})


def _refuse_constant(name):
    raise ValueError(f'{name} is not JSON the host reads')


def _check_line(line, expected, limit, tool):
    """([indices], the results array's bytes) of one batch line the child wrote, or why it is
    refused. The array is parsed on its own, so the bytes passed on are exactly what was checked.
    Each index it answers is taken out of `expected`, so no call is answered twice."""
    if len(line) > limit:
        return f'a line over {limit} bytes'
    if not line.startswith(BATCH_START) or not line.endswith(BATCH_END):
        return 'not a batch of outcomes'
    body = line[len(BATCH_START):-len(BATCH_END)]
    try:
        batch = json.loads(body, parse_constant=_refuse_constant)
    except (ValueError, RecursionError, MemoryError):  # nesting past the stack is not JSON for us
        return 'not JSON (or nested too deep, or NaN/Infinity)'
    if type(batch) is not list or not batch:
        return 'not a batch of outcomes'
    answered = []
    for item in batch:
        if type(item) is not dict or not ITEM_KEYS.issuperset(item):
            return 'a batch item that is not an outcome'
        index = item.get('index')
        if type(index) is not int or index not in expected:
            return f'an outcome for a call it was not given or already answered ({index!r})'
        outcome = item.get('outcome')
        if type(outcome) is not dict or outcome.get('verdict') not in VERDICTS:
            return 'an outcome without a verdict'
        if 'value' in item and not tool:
            return 'a tool answer for a function job'
        expected.discard(index)
        answered.append(index)
    return answered, body


def _death_outcome(status, cpu_s, settings):
    """What the end of a child that did not finish its calls means for the call in flight. The
    kernel's own accounting decides whether it was the CPU limit (SIGXCPU, then SIGKILL)."""
    if os.WIFSIGNALED(status):
        signum = os.WTERMSIG(status)
        if signum == signal.SIGVTALRM:
            return {'verdict': 'timeout', 'ms': round(settings.timeout_s * 1000), 'message': 'CPU limit of the call: the code did not stop at the interrupt'}
        if signum == signal.SIGXCPU or (signum == signal.SIGKILL and cpu_s >= settings.cpu_limit_s):
            return {'verdict': 'timeout', 'ms': round(cpu_s * 1000), 'message': JOB_CPU_LIMIT}
        return {'verdict': 'crash', 'message': f'the process died of signal {signal.Signals(signum).name}'}
    if os.WEXITSTATUS(status) == child.EXIT_OUT_OF_MEMORY:
        return {'verdict': 'memory', 'ms': round(cpu_s * 1000)}
    return {'verdict': 'crash', 'message': f'the process exited with code {os.WEXITSTATUS(status)}'}


def _not_run(cause):
    message = f"not run: earlier calls of this job ended the process ({cause['verdict']})"
    return {'verdict': 'timeout', 'ms': 0, 'message': message} if cause['verdict'] == 'timeout' else {'verdict': 'crash', 'message': message}


def main():
    # Whatever descriptor the host let slip through (one not marked close-on-exec) goes now: the
    # server holds nothing but its three pipes.
    os.closerange(3, 65536)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # the host went away: end quietly
    if '' in sys.path:
        sys.path.remove('')
    init = json.loads(sys.stdin.readline())
    Server(init).serve()
