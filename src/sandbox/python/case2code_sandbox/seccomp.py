# Two seccomp filters, built as classic BPF programs and installed with prctl (no libseccomp
# needed). They refuse what a function never needs and an attacker would use: sockets other than
# AF_UNIX, ptrace and process_vm_*, signals to any process but itself (directly, or as a
# descriptor's owner), new processes (threads are allowed), execve, mounts and namespaces, rlimit
# changes, kernel keyrings, bpf, io_uring. Calls not listed are allowed: the jail's namespaces and
# the read-only file system are the other layers.
#
# The server installs the first filter on itself once, so every child inherits it for free; only
# the rules that depend on the child (its own pid) or that the server must break itself (fork,
# signal and limit its children) are a second, small filter each child adds. Filters stack: a call
# must pass both, so a child is held to exactly the union of the rules. (One filter per child,
# built and JIT-compiled after each fork, cost most of a millisecond per function.)
import ctypes
import platform
import struct

_AUDIT_ARCH_X86_64 = 0xC000003E
_X32_SYSCALL_BIT = 0x40000000
_CLONE_THREAD = 0x00010000
_AF_UNIX = 1
_EPERM, _ENOSYS = 1, 38

_RET_ALLOW = 0x7FFF0000
_RET_KILL_PROCESS = 0x80000000
_RET_ERRNO = 0x00050000

# Classic BPF opcodes: load a word at an absolute offset, conditional jumps, return.
_LD_ABS = 0x20
_JEQ, _JGE, _JSET = 0x15, 0x35, 0x45
_RET = 0x06

# struct seccomp_data: int nr; u32 arch; u64 ip; u64 args[6] (little-endian: low word first).
_NR, _ARCH = 0, 4


def _arg_low(i):
    return 16 + 8 * i


def _arg_high(i):
    return 20 + 8 * i


# x86_64 syscall numbers. Other architectures get no filter (doctor says so) rather than a wrong one.
_X86_64 = {
    'socket': 41, 'socketpair': 53, 'ptrace': 101, 'kill': 62, 'tkill': 200, 'tgkill': 234,
    'rt_sigqueueinfo': 129, 'rt_tgsigqueueinfo': 297, 'pidfd_open': 434, 'pidfd_send_signal': 424,
    'pidfd_getfd': 438, 'process_vm_readv': 310, 'process_vm_writev': 311, 'execve': 59,
    'execveat': 322, 'mount': 165, 'umount2': 166, 'unshare': 272, 'setns': 308, 'pivot_root': 155,
    'chroot': 161, 'clone': 56, 'clone3': 435, 'fork': 57, 'vfork': 58, 'bpf': 321,
    'perf_event_open': 298, 'keyctl': 250, 'add_key': 248, 'request_key': 249, 'userfaultfd': 323,
    'io_uring_setup': 425, 'io_uring_enter': 426, 'io_uring_register': 427, 'kexec_load': 246,
    'kexec_file_load': 320, 'init_module': 175, 'finit_module': 313, 'delete_module': 176,
    'setrlimit': 160, 'prlimit64': 302, 'move_mount': 429, 'open_tree': 428, 'fsopen': 430,
    'fsconfig': 431, 'fsmount': 432, 'fspick': 433, 'mount_setattr': 442, 'open_by_handle_at': 304,
    'name_to_handle_at': 303, 'personality': 135, 'swapon': 167, 'swapoff': 168, 'reboot': 169,
    'acct': 163, 'kcmp': 312, 'process_madvise': 440, 'settimeofday': 164, 'clock_settime': 227,
    'iopl': 172, 'ioperm': 173, 'quotactl': 179,
    'shmget': 29, 'shmat': 30, 'shmctl': 31, 'semget': 64, 'semop': 65, 'semctl': 66, 'shmdt': 67,
    'msgget': 68, 'msgsnd': 69, 'msgrcv': 70, 'msgctl': 71, 'semtimedop': 220,
    'fcntl': 72, 'ioctl': 16,
    'setpriority': 141, 'sched_setparam': 142, 'sched_setscheduler': 144, 'sched_setaffinity': 203,
    'sched_setattr': 314, 'ioprio_set': 251, 'memfd_create': 319, 'memfd_secret': 447,
}

# Requests that make the kernel signal another process on a descriptor's behalf (SIGIO to an
# owner): the same reach as kill(), without a kill() call.
_F_SETOWN, _F_SETSIG, _F_SETOWN_EX = 8, 10, 15
_FIOSETOWN, _SIOCSPGRP = 0x8901, 0x8902
_REFUSED_REQUESTS = {'fcntl': (_F_SETOWN, _F_SETSIG, _F_SETOWN_EX), 'ioctl': (_FIOSETOWN, _SIOCSPGRP)}

_REFUSED = ('ptrace', 'pidfd_open', 'pidfd_send_signal', 'pidfd_getfd', 'process_vm_readv',
            'process_vm_writev', 'execve', 'execveat', 'mount', 'umount2', 'unshare', 'setns',
            'pivot_root', 'chroot', 'fork', 'vfork', 'bpf', 'perf_event_open', 'keyctl', 'add_key',
            'request_key', 'userfaultfd', 'io_uring_setup', 'io_uring_enter', 'io_uring_register',
            'kexec_load', 'kexec_file_load', 'init_module', 'finit_module', 'delete_module',
            'move_mount', 'open_tree', 'fsopen', 'fsconfig', 'fsmount', 'fspick',
            'mount_setattr', 'open_by_handle_at', 'name_to_handle_at', 'personality', 'swapon',
            'swapoff', 'reboot', 'acct', 'kcmp', 'process_madvise', 'settimeofday', 'clock_settime',
            'iopl', 'ioperm', 'quotactl',
            # System V IPC objects outlive the process that made them: one job could leave state
            # for the next. (POSIX shared memory lives in /dev/shm, which is wiped after each job.)
            'shmget', 'shmat', 'shmctl', 'shmdt', 'semget', 'semop', 'semctl', 'semtimedop',
            'msgget', 'msgsnd', 'msgrcv', 'msgctl',
            # Priority, scheduling class and CPU affinity reach the server (and so every later
            # child): a job could slow the jobs after it into wall-clock timeouts.
            'setpriority', 'sched_setparam', 'sched_setscheduler', 'sched_setaffinity',
            'sched_setattr', 'ioprio_set',
            # Memory held as anonymous files is outside the address-space limit.
            'memfd_create', 'memfd_secret')
# Signals: the first argument must be this process itself (kill, tkill: the pid of its main
# thread; tgkill and the sigqueue calls: the thread group).
_SELF_ONLY = ('kill', 'tkill', 'tgkill', 'rt_sigqueueinfo', 'rt_tgsigqueueinfo')


def available():
    """None when a filter can be built here, else the reason it cannot."""
    if platform.system() != 'Linux':
        return 'seccomp is Linux-only'
    if platform.machine() not in ('x86_64', 'AMD64'):
        return f'no syscall table for {platform.machine()} yet'
    return None


def _insn(code, k, jt=0, jf=0):
    return struct.pack('<HBBI', code, jt, jf, k & 0xFFFFFFFF)


def _prologue():
    """Kill a call from another architecture; refuse the x32 table. Leaves the number loaded."""
    return [
        _insn(_LD_ABS, _ARCH),
        _insn(_JEQ, _AUDIT_ARCH_X86_64, 1, 0),
        _insn(_RET, _RET_KILL_PROCESS),
        _insn(_LD_ABS, _NR),
        _insn(_JGE, _X32_SYSCALL_BIT, 0, 1),  # the x32 ABI: another table, not ours
        _insn(_RET, _RET_ERRNO | _EPERM),
    ]


def server_program():
    """The rules every process of the worker keeps: the server and, inherited, each child."""
    nr = _X86_64
    prog = _prologue()
    for name in _REFUSED:
        prog += [_insn(_JEQ, nr[name], 0, 1), _insn(_RET, _RET_ERRNO | _EPERM)]
    prog += [_insn(_JEQ, nr['clone3'], 0, 1), _insn(_RET, _RET_ERRNO | _ENOSYS)]  # libc falls back to clone
    # Each block below starts with the syscall number in the accumulator and ends in a return.
    for name in ('socket', 'socketpair'):
        prog += [
            _insn(_JEQ, nr[name], 0, 4),
            _insn(_LD_ABS, _arg_low(0)),
            _insn(_JEQ, _AF_UNIX, 0, 1),
            _insn(_RET, _RET_ALLOW),
            _insn(_RET, _RET_ERRNO | _EPERM),
        ]
    for name, requests in _REFUSED_REQUESTS.items():
        prog += [_insn(_JEQ, nr[name], 0, 2 + 2 * len(requests)), _insn(_LD_ABS, _arg_low(1))]
        for request in requests:
            prog += [_insn(_JEQ, request, 0, 1), _insn(_RET, _RET_ERRNO | _EPERM)]
        prog.append(_insn(_RET, _RET_ALLOW))
    prog.append(_insn(_RET, _RET_ALLOW))
    return prog


def child_program(own_pid):
    """What a child adds, once its limits are set: no new processes, signals to itself only, no
    limit changes. `own_pid` is its pid in its namespace."""
    nr = _X86_64
    prog = _prologue()
    prog += [_insn(_JEQ, nr['setrlimit'], 0, 1), _insn(_RET, _RET_ERRNO | _EPERM)]
    # clone: threads only (CLONE_THREAD set in the flags).
    prog += [
        _insn(_JEQ, nr['clone'], 0, 4),
        _insn(_LD_ABS, _arg_low(0)),
        _insn(_JSET, _CLONE_THREAD, 0, 1),
        _insn(_RET, _RET_ALLOW),
        _insn(_RET, _RET_ERRNO | _EPERM),
    ]
    for name in _SELF_ONLY:
        prog += [
            _insn(_JEQ, nr[name], 0, 6),
            _insn(_LD_ABS, _arg_high(0)),
            _insn(_JEQ, 0, 0, 3),
            _insn(_LD_ABS, _arg_low(0)),
            _insn(_JEQ, own_pid, 0, 1),
            _insn(_RET, _RET_ALLOW),
            _insn(_RET, _RET_ERRNO | _EPERM),
        ]
    # prlimit64 may read limits (a null new_limit), never set them.
    prog += [
        _insn(_JEQ, nr['prlimit64'], 0, 6),
        _insn(_LD_ABS, _arg_low(2)),
        _insn(_JEQ, 0, 0, 3),
        _insn(_LD_ABS, _arg_high(2)),
        _insn(_JEQ, 0, 0, 1),
        _insn(_RET, _RET_ALLOW),
        _insn(_RET, _RET_ERRNO | _EPERM),
    ]
    prog.append(_insn(_RET, _RET_ALLOW))
    return prog


class _SockFprog(ctypes.Structure):
    _fields_ = [('len', ctypes.c_ushort), ('filter', ctypes.c_void_p)]


_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2


class _Filter:
    """A program in a C buffer with its prctl arguments made ready, so installing it is two
    foreign calls (in a child: no building, no allocation, few pages written)."""

    def __init__(self, program):
        self.libc = ctypes.CDLL(None, use_errno=True)
        self.prctl = self.libc.prctl
        self.buffer = ctypes.create_string_buffer(program, len(program))
        self.fprog = _SockFprog(len(program) // 8, ctypes.cast(self.buffer, ctypes.c_void_p))
        self.fprog_ref = ctypes.byref(self.fprog)

    def install(self):
        """Install the filter in this process (irreversible). Raises OSError if the kernel refuses."""
        if self.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), 'prctl(PR_SET_NO_NEW_PRIVS) failed')
        if self.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, self.fprog_ref, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), 'prctl(PR_SET_SECCOMP) failed')


# A pid no process has: the child filter's stand-in, replaced by the child's own pid after fork.
_PID_MARK = 0x7FFFFFF1


class ChildFilter(_Filter):
    """The child's filter, made in the server with a stand-in pid that each child patches."""

    def __init__(self):
        program = b''.join(child_program(_PID_MARK))
        super().__init__(program)
        mark = struct.pack('<I', _PID_MARK)
        self.pid_offsets = [i for i in range(0, len(program), 8) if program[i + 4:i + 8] == mark]

    def install_for(self, own_pid):
        value = struct.pack('<I', own_pid)
        for offset in self.pid_offsets:
            self.buffer[offset + 4:offset + 8] = value
        self.install()


def install_server_filter():
    """The server's own filter, for it and every child it forks. Returns the child's filter."""
    _Filter(b''.join(server_program())).install()
    return ChildFilter()
