# The data-quality bench's leak check, on the host's own python3, outside the sandbox (the code is
# only parsed, never run). Reads one JSON object a line on stdin: {id, code}; writes one a line:
# {id, definitions: [{name, hash}], error?}. A definition is a top-level def, async def or class;
# its hash is of the normalised AST: Python's own parse, without positions, docstrings or
# decorators, so two copies that differ only in comments, layout, quoting or docstrings are one.
# Written apart from the pipeline's own hashing (src/samples/definitions.ts), so the bench does
# not grade the split by its own yardstick.
import ast
import hashlib
import json
import sys

_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _strip_docstrings(node):
    for child in ast.walk(node):
        body = getattr(child, 'body', None)
        if isinstance(child, _DEFINITIONS) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            child.body = body[1:] or [ast.Pass()]


def definitions(code):
    out = []
    for node in ast.parse(code).body:
        if not isinstance(node, _DEFINITIONS):
            continue
        node.decorator_list = []
        _strip_docstrings(node)
        dump = ast.dump(node, include_attributes=False)
        out.append({'name': node.name, 'hash': hashlib.sha256(dump.encode('utf-8', 'backslashreplace')).hexdigest()[:16]})
    return out


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        job = json.loads(line)
        try:
            answer = {'id': job['id'], 'definitions': definitions(job['code'])}
        except SyntaxError as error:
            answer = {'id': job['id'], 'definitions': [], 'error': 'SyntaxError: %s' % error}
        sys.stdout.write(json.dumps(answer) + '\n')


if __name__ == '__main__':
    main()
