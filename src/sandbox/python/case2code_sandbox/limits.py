# The per-execution time window. A backend plugs in how a window is started, stopped and read
# (native: CPU-time and wall-clock interval timers in the forked child; Pyodide: the worker's
# interrupt buffer). Without a backend (unit tests on the host python) windows never expire.

_hooks = {'renew': None, 'stop': None, 'expired': None}
_state = {'expired': False}


def configure(renew=None, stop=None, expired=None):
    """Set the backend's hooks: renew() starts a window, stop() ends it, expired() -> bool says
    whether the current one ran out (optional: mark_expired() may be called instead)."""
    _hooks.update(renew=renew, stop=stop, expired=expired)


def mark_expired():
    _state['expired'] = True


def renew_window():
    _state['expired'] = False
    if _hooks['renew'] is not None:
        _hooks['renew']()


def stop_window():
    if _hooks['stop'] is not None:
        _hooks['stop']()


def window_expired():
    if _state['expired']:
        return True
    probe = _hooks['expired']
    return bool(probe()) if probe is not None else False


def check_window():
    """Raise the timeout now if the window ran out while the code swallowed the interrupt."""
    if window_expired():
        raise KeyboardInterrupt('time limit')
