// Which files are parsed, and which sibling modules a file is handed with it: text tests only.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { packageImports } from '../../src/extract/imports.js';
import { mayHaveFunctions } from '../../src/extract/prefilter.js';

describe('files worth a parse', () => {
  test('a top-level def, a static method, or a method that never names its first parameter again', () => {
    assert.equal(mayHaveFunctions('X = 1\n\ndef f(x):\n    return x\n', false), true);
    assert.equal(mayHaveFunctions('class A:\n    @staticmethod\n    def f(x):\n        return x\n', true), true);
    assert.equal(mayHaveFunctions('class A:\n    def f(self, x):\n        return x + 1\n', true), true);
  });

  test('a method that names its first parameter only to read attributes, unless attribute reads are off', () => {
    const reads = 'class A:\n    def f(self, x):\n        return self.k + x\n\n    def g(self):\n        return self.f(1)\nX = 2\n';
    assert.equal(mayHaveFunctions(reads, true), true);
    assert.equal(mayHaveFunctions(reads, true, false), false);
    const documented = 'class A:\n    def f(self, x):\n        """The sum of self and x."""\n        return self.k + x\n';
    assert.equal(mayHaveFunctions(documented, true), true, 'a docstring naming self is no use of it');
  });

  test('classes whose methods all call on self or use it bare are skipped, and so is everything without methods allowed', () => {
    const usesSelf = 'class A:\n    def f(self, x):\n        return self.k(x) + self .m (1)\n\n    def g(self):\n        return helper(self)\nX = 2\n';
    assert.equal(mayHaveFunctions(usesSelf.replace('self.k(x)', 'self.g(x)'), true), false, 'm is not defined in the file');
    assert.equal(mayHaveFunctions(usesSelf.replace('self .m (1)', 'self.g()').replace('self.k(x)', 'self.f(x)'), true), true, 'f and g are');
    assert.equal(mayHaveFunctions(usesSelf, true), false);
    assert.equal(mayHaveFunctions('class A:\n    def f(self, x):\n        return x + 1\n', false), false);
    assert.equal(mayHaveFunctions('X = 1\n', true), false);
  });
});

describe('package imports read from the text', () => {
  test('relative and absolute imports of the own package, as absolute module names', () => {
    const text = 'import os\nfrom . import utils, models as m\nfrom .compat import (\n    quote,\n)\nfrom ..top import x\nfrom pkg.sub.deep import y\nimport pkg.other\nfrom other import z\n';
    const names = packageImports(text, { module: 'pkg.sub.mod', init: false, root: '/r' });
    assert.deepEqual(names.sort(), ['pkg.other', 'pkg.sub', 'pkg.sub.compat', 'pkg.sub.deep', 'pkg.sub.models', 'pkg.sub.utils', 'pkg.top']);
  });

  test('an __init__.py starts from itself; an import past the top is no guess', () => {
    assert.deepEqual(packageImports('from .a import b\nfrom ... import c\n', { module: 'pkg', init: true, root: '/r' }), ['pkg.a']);
  });
});
