# The reference design for the eval bench: one fresh python3 process per item. Reads one official
# item as JSON on stdin, defines the code, builds `examples`, calls the function on each, and
# prints one outcome per example in the official format.
import json
import sys

item = json.load(sys.stdin)
namespace = {'__name__': '__main__'}
exec(item['code'], namespace)
exec(item['example_str'], namespace)
function = namespace[item['func_name']]
outcomes = []
for example in namespace['examples']:
    try:
        outcomes.append({'return': repr(function(**example))})
    except BaseException as exc:  # the outcome is the point, SystemExit included
        outcomes.append({'error': str(type(exc)) + ': ' + str(exc)})
sys.__stdout__.write('\n' + json.dumps(outcomes))
