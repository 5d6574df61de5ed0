import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractCode } from '../../src/eval/extract-code.js';

test('the first fenced Python block wins over earlier blocks of other languages', () => {
  const text = 'Run it:\n```bash\npython x.py\n```\nThe function is:\n\n```python\ndef f(x):\n    return x\n```\n```python\ndef g(): pass\n```';
  assert.equal(extractCode(text), 'def f(x):\n    return x\n');
});

test('with no Python block, the first fenced block of any language is taken', () => {
  assert.equal(extractCode('Here:\n```\ndef f():\n    return 1\n```\nand\n```text\nnope\n```'), 'def f():\n    return 1\n');
});

test('without fences the raw text is the code', () => {
  assert.equal(extractCode('def f():\n    return 2\n\n\n'), 'def f():\n    return 2\n');
});

test('an unclosed fence runs to the end of the answer', () => {
  assert.equal(extractCode('```python\ndef f():\n    return 3'), 'def f():\n    return 3\n');
});

test('an answer with no code gives the empty string', () => {
  assert.equal(extractCode('   \n'), '');
  assert.equal(extractCode('```python\n```'), '');
});

test('Windows line ends and tagged fences like py3 are understood', () => {
  assert.equal(extractCode('x\r\n```py3\r\ndef f():\r\n    return 4\r\n```\r\n'), 'def f():\n    return 4\n');
});
