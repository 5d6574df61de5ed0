"""Case2Code rewards for RL trainers, from a running `case2code serve` (standard library only).

``compute_score`` has the signature verl uses for a custom reward function::

    custom_reward_function.path=clients/python/case2code_reward.py
    custom_reward_function.name=compute_score          # or compute_score_batch with reward_model.reward_manager=batch

``ground_truth`` is either the id of an item of a benchmark the server loaded (``--benchmark
NAME=FILE``; the expected outputs stay on the server), or the cases themselves as a dict (or its
JSON text) ``{"entry": "f", "cases": [{"input": {...}, "output": {...}}]}``. The benchmark's name
is ``extra_info["benchmark"]``, else ``$CASE2CODE_BENCHMARK``, else ``data_source``.

Settings (environment): CASE2CODE_URL (default http://127.0.0.1:8000), CASE2CODE_TOKEN (bearer
token), CASE2CODE_REWARD (``binary``: 1.0 when every case passes, the default; ``fraction``: the
share of cases passed), CASE2CODE_TIMEOUT (seconds per HTTP request, default 300),
CASE2CODE_MAX_RETRIES (default 10; retries on 429, 503 and connection errors, honouring
Retry-After), CASE2CODE_BATCH (answers per batch request, default 256).

A request the server refuses (bad input, wrong token, unknown id) and an item the server could
not set up raise Case2CodeRewardError: a reward of 0 for a broken request would be silently wrong.
"""
import json
import os
import random
import time
import urllib.error
import urllib.parse
import urllib.request

__all__ = ['compute_score', 'compute_score_batch', 'Case2CodeRewardError']

RETRYABLE_STATUS = (429, 502, 503)


class Case2CodeRewardError(RuntimeError):
    """The server refused the request, or could not score the item."""


def compute_score(data_source, solution_str, ground_truth, extra_info=None):
    """The reward of one answer: 1.0 / 0.0 (or the share of cases passed with CASE2CODE_REWARD=fraction)."""
    path, body = _request(data_source, solution_str, ground_truth, extra_info)
    return _reward(_post(path, body))


def compute_score_batch(data_sources, solution_strs, ground_truths, extra_infos=None):
    """The rewards of many answers, in order, sent as batch requests (verl's batch reward manager)."""
    extra_infos = extra_infos if extra_infos is not None else [None] * len(solution_strs)
    groups = {}  # path -> [(index, body)]
    for index, parts in enumerate(zip(data_sources, solution_strs, ground_truths, extra_infos)):
        path, body = _request(*parts)
        groups.setdefault(path, []).append((index, body))
    rewards = [None] * len(solution_strs)
    size = max(1, int(os.environ.get('CASE2CODE_BATCH', '256')))
    for path, entries in groups.items():
        for start in range(0, len(entries), size):
            chunk = entries[start:start + size]
            answer = _post(path, {'requests': [body for _, body in chunk]})
            results = answer.get('results') if isinstance(answer, dict) else None
            if not isinstance(results, list) or len(results) != len(chunk):
                raise Case2CodeRewardError(f'{path}: the server answered a batch of {len(chunk)} with {answer!r:.200}')
            for (index, _), result in zip(chunk, results):
                rewards[index] = _reward(result)
    return rewards


def _request(data_source, solution_str, ground_truth, extra_info):
    """The route and body for one answer."""
    truth = ground_truth
    if isinstance(truth, str) and truth.lstrip().startswith('{'):
        truth = json.loads(truth)
    if isinstance(truth, dict):
        if 'entry' not in truth or 'cases' not in truth:
            raise Case2CodeRewardError('ground_truth as cases must hold "entry" and "cases"')
        body = {'completion': solution_str, 'entry': truth['entry'], 'cases': truth['cases']}
        for key in ('float_tolerance', 'timeout_ms'):
            if key in truth:
                body[key] = truth[key]
        return '/v1/score', body
    if not isinstance(truth, str) or not truth:
        raise Case2CodeRewardError(f'ground_truth must be an item id or {{"entry", "cases"}}, got {type(truth).__name__}')
    benchmark = (extra_info or {}).get('benchmark') or os.environ.get('CASE2CODE_BENCHMARK') or data_source
    if not benchmark:
        raise Case2CodeRewardError('no benchmark name: set extra_info["benchmark"], CASE2CODE_BENCHMARK or data_source')
    return f'/v1/benchmarks/{urllib.parse.quote(str(benchmark), safe="")}/score', {'id': truth, 'completion': solution_str}


def _reward(result):
    if not isinstance(result, dict) or 'passed' not in result:
        raise Case2CodeRewardError(f'not a score: {result!r:.200}')
    if result.get('reason') == 'setup-error':
        raise Case2CodeRewardError(f'item {result.get("id")} cannot be scored on this server: {result.get("detail")}')
    if os.environ.get('CASE2CODE_REWARD', 'binary') == 'fraction':
        return result['cases_passed'] / result['cases'] if result.get('cases') else 0.0
    return 1.0 if result['passed'] else 0.0


def _post(path, body):
    url = os.environ.get('CASE2CODE_URL', 'http://127.0.0.1:8000').rstrip('/') + path
    data = json.dumps(body).encode('utf-8')
    headers = {'content-type': 'application/json'}
    token = os.environ.get('CASE2CODE_TOKEN')
    if token:
        headers['authorization'] = f'Bearer {token}'
    timeout = float(os.environ.get('CASE2CODE_TIMEOUT', '300'))
    retries = int(os.environ.get('CASE2CODE_MAX_RETRIES', '10'))
    for attempt in range(retries + 1):
        try:
            with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers, method='POST'), timeout=timeout) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            message = _error_message(error)
            if error.code not in RETRYABLE_STATUS or attempt == retries:
                raise Case2CodeRewardError(f'{url}: HTTP {error.code}: {message}') from None
            time.sleep(_retry_after(error.headers, attempt))
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            if attempt == retries:
                raise Case2CodeRewardError(f'{url}: {error}') from None
            time.sleep(_backoff(attempt))
    raise AssertionError('unreachable')


def _error_message(error):
    try:
        return json.loads(error.read())['error']['message']
    except Exception:  # noqa: the status line says enough
        return error.reason


def _retry_after(headers, attempt):
    """The server's hint (it estimates from its recent rate), but never less than the backoff: a
    queue of slow answers drains slower than the hint says."""
    for name, scale in (('retry-after-ms', 0.001), ('retry-after', 1.0)):
        value = headers.get(name)
        if value is not None:
            try:
                return max(min(float(value) * scale, 60.0) * (1 + random.random() * 0.1), _backoff(attempt))
            except ValueError:
                pass
    return _backoff(attempt)


def _backoff(attempt):
    ceiling = min(30.0, 0.25 * 2 ** attempt)
    return ceiling / 2 + random.random() * ceiling / 2
