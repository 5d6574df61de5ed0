# Tool: run one untrusted Python program as a script would run, for POST /run_code. The program
# reads `stdin` from sys.stdin (text and .buffer), writes to sys.stdout/sys.stderr (each kept up to
# a cap), and ends with an exit code: 0, its SystemExit code, or 1 with the traceback on stderr.
# A window that ran out shows as the host's timeout verdict, whatever the program caught.
import io
import sys
import traceback

from case2code_sandbox import api as harness

OUTPUT_CAP = 1 << 20  # bytes kept per stream; the rest is counted and dropped


class _CappedRaw(io.RawIOBase):
    def __init__(self, cap):
        self.data = bytearray()
        self.cap = cap
        self.dropped = 0

    def writable(self):
        return True

    def write(self, chunk):
        chunk = bytes(chunk)
        room = max(self.cap - len(self.data), 0)
        self.data += chunk[:room]
        self.dropped += max(len(chunk) - room, 0)
        return len(chunk)


def _stream(raw):
    return io.TextIOWrapper(io.BufferedWriter(raw), encoding='utf-8', errors='replace', write_through=True)


def _exit_code(code, stderr):
    if code is None:
        return 0
    if isinstance(code, bool) or not isinstance(code, int):
        print(code, file=stderr)  # sys.exit('message') prints the message and exits with 1
        return 1
    return code & 0xFF


def handle(payload):
    source = payload['code']
    out_raw, err_raw = _CappedRaw(OUTPUT_CAP), _CappedRaw(OUTPUT_CAP)
    state = {'code': 0}

    def program():
        stdout, stderr = _stream(out_raw), _stream(err_raw)
        saved = sys.stdin, sys.stdout, sys.stderr
        sys.stdin = io.TextIOWrapper(io.BytesIO((payload.get('stdin') or '').encode('utf-8')), encoding='utf-8')
        sys.stdout, sys.stderr = stdout, stderr
        try:
            exec(compile(source, '<string>', 'exec'), harness.fresh_namespace('__main__'))
        except SystemExit as exc:
            state['code'] = _exit_code(exc.code, stderr)
        except KeyboardInterrupt:
            raise
        except BaseException:  # noqa: the program's own failure is its result
            traceback.print_exc(file=stderr)
            state['code'] = 1
        finally:
            for stream in (stdout, stderr):
                try:
                    stream.flush()
                except BaseException:
                    pass
            sys.stdin, sys.stdout, sys.stderr = saved

    harness.checkpoint()
    _value, exc, ms, _captured = harness.run_captured(program)
    if isinstance(exc, KeyboardInterrupt):
        raise exc  # the window ran out: the host reports a timeout
    if exc is not None:  # raised past the program's own handlers (its streams would not flush)
        err_raw.write(f'{type(exc).__name__}: {exc}\n'.encode('utf-8', 'replace'))
        state['code'] = 1
    return {
        'stdout': out_raw.data.decode('utf-8', 'replace'),
        'stderr': err_raw.data.decode('utf-8', 'replace'),
        'return_code': state['code'],
        'ms': ms,
        'dropped': out_raw.dropped + err_raw.dropped,
    }
