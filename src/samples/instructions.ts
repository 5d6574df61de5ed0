// Instruction phrasings for the training prompts, written for this project. `{name}` is replaced by
// the function's name; the ones without it leave the name to the cases or the header.
export const INSTRUCTIONS: string[] = [
  'Write a Python function that reproduces the behaviour shown in these examples.',
  'Below are calls to a Python function together with what each call produced. Implement the function.',
  'Implement `{name}` in Python so that every example below holds.',
  'Reconstruct the Python function from its observed inputs and outputs.',
  'Given the following input/output pairs, write the Python code for `{name}`.',
  'A function was called several times; the results are listed. Write a function that behaves the same way.',
  'Infer what the function does from the cases and implement it in Python.',
  'Your task: define `{name}` so that it returns (or raises) exactly what the examples show.',
  'Study these examples, work out the rule behind them, and write the Python function.',
  'These are test cases for a Python function. Provide an implementation that passes all of them.',
  'Figure out the logic of `{name}` from the examples and write it.',
  'Create a Python function consistent with every call and result below.',
  'Here is how a certain function behaves on a few inputs. Write that function in Python.',
  'Reverse-engineer the function from the examples that follow, and give its Python source.',
  'Complete the task: write `{name}` so these calls give these results.',
  'I have a function but lost its code. From the examples, can you write it again in Python?',
  'Produce a Python implementation matching the examples; exceptions must match too.',
  'Derive the function from the given cases. Answer with Python code.',
  'Observe the inputs and outputs, then implement the function that maps one to the other.',
  'Write Python code for `{name}`. Its expected behaviour is given by the examples.',
  'Use the examples to deduce the function and implement it.',
  'The examples come from a hidden Python function. Recreate it.',
  'Code a Python function whose results agree with the cases listed.',
  'Please implement the function described only by the following examples.',
];

/** Lead-in lines sometimes put right above the cases. */
export const CASE_LEADS: string[] = ['', 'Examples:', 'Cases:', 'Observed behaviour:', 'Here are the examples:', 'Test cases:'];

/** Ways to name the function in the optional header. */
export const HEADERS: string[] = ['Function: {name}', 'Function name: {name}', 'Name of the function: {name}'];
