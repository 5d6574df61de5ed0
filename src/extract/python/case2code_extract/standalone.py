# The extract-standalone tool: check already-extracted functions on their own, as a consumer would
# receive them. Payload: {"items": [{"code", "entry"}, ...]}; answer: one result per item,
# {"ok": true} or {"ok": false, "reason", "detail"}.
from case2code_extract.check import define_check


def handle(payload):
    results = []
    for item in payload['items']:
        try:
            failure = define_check(item['code'], item['entry'])
        except SyntaxError as exc:
            failure = ('syntax-error', str(exc)[:200])
        results.append({'ok': True} if failure is None else {'ok': False, 'reason': failure[0], 'detail': failure[1]})
    return results
