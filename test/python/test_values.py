# Values for the fuzzer: fresh values of a type, close mutations, and the code's own literals used
# as values (digit-string literals included: the spliced tool once lost them to a name clash).
import random
import unittest

from case2code_inputs.values import FALLBACK_TYPES, ValueMaker, _numeric_text, type_of

NO_LITERALS = {'int': [], 'float': [], 'str': []}
TYPES = [('int',), ('float',), ('str',), ('numstr',), ('bool',), ('none',), ('bytes',), ('any',),
         ('list', ('int',)), ('list', ('str',), 3), ('tuple', ('float',)), ('set', ('str',)),
         ('dict', ('str',), ('int',)), ('fixed', (('int',), ('str',))),
         ('record', (('name', ('str',)), ('rank', ('int',)))), ('oneof', (('int',), ('str',))),
         ('list', ('list', ('int',))), ('fixed', (('int',), ('int',), ('int',)), 'list'), ('str', 'digits'),
         ('str', 'split:-')]


def draws(maker, t, count=400):
    return [maker.make(t) for _ in range(count)]


class DigitStringLiterals(unittest.TestCase):
    def test_numeric_literals_are_told_from_words(self):
        self.assertTrue(all(_numeric_text(s) for s in ['42', '-2.5', '1e5', '0']))
        self.assertFalse(any(_numeric_text(s) for s in ['nan', 'inf', 'Infinity', ' 7', 'abc', '', '0x10']))

    def test_the_codes_digit_strings_become_digit_string_values(self):
        maker = ValueMaker(random.Random(1), {'int': [], 'float': [], 'str': ['9137', 'abc']})
        self.assertEqual(maker.lit_numstrs, ['9137'])
        values = draws(maker, ('numstr',))
        self.assertIn('9137', values)  # no generator but the literal makes this one
        self.assertNotIn('abc', values)
        self.assertTrue(all(isinstance(v, str) and _numeric_text(v) for v in values), values)

    def test_without_such_literals_numstr_values_are_still_numbers(self):
        values = draws(ValueMaker(random.Random(2), NO_LITERALS), ('numstr',))
        self.assertTrue(all(_numeric_text(v) for v in values))
        self.assertNotIn('9137', values)


class FreshValues(unittest.TestCase):
    def test_each_type_gives_values_whose_repr_reads_back(self):
        maker = ValueMaker(random.Random(3), {'int': [7], 'float': [0.25], 'str': ['key']})
        for t in TYPES:
            for value in draws(maker, t, 60):
                self.assertEqual(eval(repr(value)), value, (t, value))

    def test_values_have_the_kind_asked_for(self):
        maker = ValueMaker(random.Random(4), NO_LITERALS)
        kinds = {('int',): int, ('float',): (int, float), ('str',): str, ('bool',): bool, ('bytes',): bytes,
                 ('list', ('int',)): list, ('tuple', ('float',)): tuple, ('set', ('str',)): set,
                 ('dict', ('str',), ('int',)): dict}
        for t, kind in kinds.items():
            self.assertTrue(all(isinstance(v, kind) for v in draws(maker, t, 60)), t)
        self.assertTrue(all(v is None for v in draws(maker, ('none',), 10)))
        self.assertTrue(all(isinstance(v, tuple) and len(v) == 2 for v in draws(maker, ('fixed', (('int',), ('str',))), 30)))

    def test_code_literals_are_preferred(self):
        ints = draws(ValueMaker(random.Random(5), {'int': [4242], 'float': [], 'str': []}), ('int',))
        self.assertGreater(ints.count(4242), 100)
        words = draws(ValueMaker(random.Random(5), {'int': [], 'float': [], 'str': ['needle']}), ('str',))
        self.assertIn('needle', words)
        self.assertTrue(any('needle' in w and w != 'needle' for w in words), 'a literal inside other text')

    def test_records_have_their_fields_and_sometimes_lack_one(self):
        t = ('record', (('name', ('str',)), ('rank', ('int',))))
        values = draws(ValueMaker(random.Random(6), NO_LITERALS), t)
        self.assertGreater(sum(1 for v in values if set(v) == {'name', 'rank'}), 250)
        self.assertTrue(any(set(v) < {'name', 'rank'} for v in values))
        self.assertTrue(all(set(v) <= {'name', 'rank'} for v in values))

    def test_a_constant_index_makes_lists_long_enough_most_of_the_time(self):
        values = draws(ValueMaker(random.Random(7), NO_LITERALS), ('list', ('int',), 3))
        self.assertGreater(sum(1 for v in values if len(v) >= 3), 300)

    def test_a_fixed_length_list_has_exactly_its_items_and_stays_so_when_mutated(self):
        maker = ValueMaker(random.Random(3), NO_LITERALS)
        t = ('fixed', (('int',), ('str',), ('int',)), 'list')
        for value in draws(maker, t, 50):
            self.assertEqual([type(v) for v in value], [int, str, int])
            mutated = maker.mutate(value, t)
            self.assertEqual((type(mutated), len(mutated)), (list, 3))

    def test_a_set_of_fixed_length_lists_holds_hashable_items(self):
        values = draws(ValueMaker(random.Random(4), NO_LITERALS), ('set', ('fixed', (('int',), ('int',)), 'list')), 50)
        self.assertTrue(all(isinstance(v, set) for v in values))

    def test_characters_the_code_looks_for_come_at_the_ends_of_strings(self):
        values = draws(ValueMaker(random.Random(5), {'int': [], 'float': [], 'str': ['_']}), ('str',))
        wrapped = [v for v in values if len(v) > 2 and v[0] == '_' and v[-1] == '_']
        self.assertGreater(len(wrapped), 5)

    def test_nested_values_stay_small(self):
        values = draws(ValueMaker(random.Random(8), NO_LITERALS), ('list', ('list', ('list', ('int',)))))
        self.assertLessEqual(max(len(repr(v)) for v in values), 400)

    def test_same_seed_same_values(self):
        first = [ValueMaker(random.Random(9), NO_LITERALS).make(t) for t in TYPES]
        second = [ValueMaker(random.Random(9), NO_LITERALS).make(t) for t in TYPES]
        self.assertEqual(repr(first), repr(second))


class Mutations(unittest.TestCase):
    def test_mutants_are_close_and_keep_their_kind(self):
        maker = ValueMaker(random.Random(10), NO_LITERALS)
        for value, t in [(5, ('int',)), (2.5, ('float',)), ('hello', ('str',)), ([1, 2, 3], ('list', ('int',))),
                         ((1, 'a'), ('fixed', (('int',), ('str',)))), ({'a': 1}, ('dict', ('str',), ('int',))),
                         ({1, 2}, ('set', ('int',))), (b'ab', ('bytes',))]:
            for _ in range(50):
                mutant = maker.mutate(value, t)
                self.assertIsInstance(mutant, type(value) if not isinstance(value, float) else (int, float))
                self.assertEqual(eval(repr(mutant)), mutant)

    def test_a_digit_string_mutates_to_another_number_mostly(self):
        maker = ValueMaker(random.Random(11), NO_LITERALS)
        mutants = [maker.mutate('42', ('numstr',)) for _ in range(200)]
        self.assertGreater(sum(1 for m in mutants if _numeric_text(m)), 150)

    def test_a_bool_flips_and_the_input_is_not_changed(self):
        maker = ValueMaker(random.Random(12), NO_LITERALS)
        self.assertIs(maker.mutate(True, ('bool',)), False)
        items = [3, 1, 2]
        maker.mutate(items, ('list', ('int',)))
        self.assertEqual(items, [3, 1, 2])


class TypeOf(unittest.TestCase):
    def test_type_of_reads_a_values_shape(self):
        self.assertEqual(type_of(True), ('bool',))
        self.assertEqual(type_of([1.5]), ('list', ('float',)))
        self.assertEqual(type_of({'a': 'b'}), ('dict', ('str',), ('str',)))
        self.assertEqual(type_of(None), ('none',))
        self.assertTrue(all(isinstance(t, tuple) for t in FALLBACK_TYPES))


if __name__ == '__main__':
    unittest.main()
