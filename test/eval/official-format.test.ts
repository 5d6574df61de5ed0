import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectedFromOfficial, officialProblems, officialRaiseText } from '../../src/eval/official.js';

test('a return entry is the repr, JSON-decoded', () => {
  assert.deepEqual(expectedFromOfficial({ return: JSON.stringify("'012345'") }).expected, { verdict: 'return', text: "'012345'" });
  assert.deepEqual(expectedFromOfficial({ return: '"None"', trace: '[...]' }).expected, { verdict: 'return', text: 'None' });
});

test('an error entry drops the printed noise before the marker', () => {
  const error = 'Liczba nie może być ujemna\n<|EXCEPTION|> ' + JSON.stringify("<class 'TypeError'>: 'NoneType' object is not callable");
  assert.deepEqual(expectedFromOfficial({ error }).expected, { verdict: 'raise', text: "<class 'TypeError'>: 'NoneType' object is not callable" });
});

test('unreadable entries are reported, not guessed', () => {
  assert.match(expectedFromOfficial({ return: 'not json' }).problem!, /JSON-encoded/);
  assert.match(expectedFromOfficial({ error: 'boom' }).problem!, /marker/);
  assert.match(expectedFromOfficial({}).problem!, /neither/);
  const problems = officialProblems({ id: 'x', func_name: '', prompt: 'p', example_str: 'examples = []', example_outputs: [{}] });
  assert.deepEqual(problems, ['func_name must be a non-empty string', 'example_outputs[0]: neither return nor error']);
});

test('a raise is written as str(type(e)) + ": " + str(e), qualified for non-builtin classes', () => {
  assert.equal(officialRaiseText({ type: 'ZeroDivisionError', message: 'division by zero' }), "<class 'ZeroDivisionError'>: division by zero");
  assert.equal(officialRaiseText({ type: 'JSONDecodeError', message: 'x', module: 'json.decoder' }), "<class 'json.decoder.JSONDecodeError'>: x");
  assert.equal(officialRaiseText({ type: 'KeyError', message: '' }), "<class 'KeyError'>: ");
});
