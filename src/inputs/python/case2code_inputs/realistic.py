# Values that look like real data, by flavour: the kind of thing a parameter holds, read from its
# name (`url`, `email`, `date`, `version`, `path`, `name`, `n`, `items`, `text`, ...). Infer.py
# attaches a flavour to a scalar type as its second item, e.g. ('str', 'url'), ('int', 'year');
# values.py asks here for a fresh value of that flavour. Plain strings and numbers without a
# flavour also come from here: words, identifiers and short sentences, numbers in everyday ranges.
import re

WORDS = ['apple', 'banana', 'cherry', 'data', 'hello', 'world', 'python', 'code', 'tree', 'house',
         'river', 'green', 'blue', 'red', 'orange', 'book', 'table', 'music', 'light', 'water', 'stone',
         'cat', 'dog', 'bird', 'fish', 'sun', 'moon', 'star', 'city', 'road', 'level', 'noon', 'radar']
NAMES = ['Alice', 'Bob', 'Carol', 'David', 'Emma', 'Frank', 'Grace', 'Henry', 'Ivy', 'Jack', 'Maria',
         'Liam', 'Olivia', 'Noah', 'Sophia', 'Lucas']
SURNAMES = ['Smith', 'Johnson', 'Brown', 'Garcia', 'Miller', 'Davis', 'Martin', 'Lee', 'Walker']
_SENTENCES = ['Hello, World!', 'The quick brown fox jumps over the lazy dog.', 'This is a test',
              'Python is fun', 'I love coding', 'Good morning', 'hello world', 'An apple a day',
              'It was a bright cold day in April.', 'keep it simple', 'Error: file not found',
              'Data science and machine learning', 'A man, a plan, a canal: Panama']
_DOMAINS = ['example.com', 'example.org', 'test.net', 'mysite.io', 'api.example.com']
_EXTENSIONS = ['txt', 'csv', 'json', 'py', 'md', 'png', 'log']
_DIRS = ['home', 'user', 'data', 'docs', 'src', 'tmp', 'projects', 'images']
_COLORS = ['red', 'green', 'blue', 'black', 'white', 'yellow', '#ff0000', '#00ff00', '#336699']
_LANGUAGES = ['en', 'fr', 'de', 'es', 'zh', 'ja']
_CODES = ['a1', 'b2', 'e5', 'h8', 'A1b2', 'x9', '123', '42', 'abc123', 'AB-12', 'v2', 'id7']
_UNITS = ['km', 'm', 'cm', 'kg', 'g', 's', 'ms']

# Name -> flavour, first match wins. A trailing 's' (`urls`, `names`) is the same flavour for items.
_STR_FLAVOURS = [
    (r'(url|uri|link|href|endpoint|website|site)', 'url'),
    (r'(email|e_mail|mail)(_?addr(ess)?)?', 'email'),
    (r'(date|day_str|birthday|dob|timestamp_str|date_str)', 'date'),
    (r'(time_str|clock|hhmm)', 'time'),
    (r'(version|ver|release|semver)', 'version'),
    (r'(path|filepath|file_path|dir|dirname|directory|folder|root)', 'path'),
    (r'(filename|fname|file|file_name|basename)', 'filename'),
    (r'(name|first_?name|last_?name|full_?name|user_?name|username|author|person|owner|nome|player|customer|student)', 'person'),
    (r'(ip|ip_addr|ip_address|host_ip)', 'ip'),
    (r'(phone|phone_number|tel|mobile|from_number|to_number)', 'phone'),
    (r'(colou?r)', 'color'),
    (r'(lang|language|locale)', 'language'),
    (r'(hex|hex_str|hexstring)', 'hex'),
    (r'(binary|bits|bin_str|bitstring)', 'binary'),
    (r'(text|sentence|message|msg|line|paragraph|description|desc|content|body|comment|title|phrase|doc|document|string|str|txt|st|s|input_str|query|sql)', 'text'),
    (r'(word|token|term|keyword|w|char_seq|word1|word2|a_word)', 'word'),
    (r'(label|tag|key|field|attr|attribute|column|col_name|identifier|ident|var|variable|func_name|method|command|cmd)', 'identifier'),
    (r'(char|c|ch|letter|symbol|sep|separator|delimiter|delim)', 'char'),
    (r'(unit)', 'unit'),
]
_INT_FLAVOURS = [
    (r'(year|yr)', 'year'), (r'(month|mon)', 'month'), (r'(day|dom)', 'day'),
    (r'(hour|hr|hours)', 'hour'), (r'(minute|minutes|min|second|seconds|sec|secs)', 'minute'),
    (r'(age|idade|edad)', 'age'), (r'(port)', 'port'),
    (r'(percent|percentage|pct)', 'percent'),
    (r'(timestamp|epoch|\w*_time|time|ts)', 'timestamp'),
    (r'(i|j|k|idx|index|pos|position|start|end|stop|offset|\w+_idx|\w+_index)', 'index'),
    (r'(n|m|num|count|cnt|size|length|len|times|steps?|limit|depth|level|width|height|rows|cols|\w+_count|num_\w+|n_\w+|total|number)', 'count'),
    (r'(id|\w+_id|key|code)', 'id'),
]
_FLOAT_FLAVOURS = [
    (r'(price|cost|amount|salary|salario|balance|total|fee|payment|income|valor)', 'money'),
    (r'(rate|ratio|prob|probability|p|alpha|beta|fraction|frac|share|weight_decay|lr|learning_rate|threshold)', 'unit'),
    (r'(temp|temperature|celsius|fahrenheit|kelvin|c|f)', 'temperature'),
    (r'(lat|latitude)', 'latitude'), (r'(lon|lng|longitude)', 'longitude'),
    (r'(percent|percentage|pct)', 'percent'),
    (r'(weight|w|mass|height|h|length|distance|dist|speed|radius|r|width|area|volume)', 'measure'),
]


def _match(table, name):
    lowered = name.lower()
    for pattern, flavour in table:
        if re.fullmatch(pattern, lowered):
            return flavour
    return None


def singular(name):
    """`urls` -> `url`, `names` -> `name`, `entries` -> `entry`; None when it reads as no plural."""
    lowered = name.lower()
    for suffix in ('_list', '_lst', '_arr', '_array', '_seq'):
        if lowered.endswith(suffix) and len(lowered) > len(suffix):
            return lowered[:-len(suffix)]
    if lowered.endswith('ies') and len(lowered) > 4:
        return lowered[:-3] + 'y'
    if lowered.endswith('s') and not lowered.endswith('ss') and len(lowered) > 3:
        return lowered[:-1]
    return None


def flavour_of(kind, name):
    """The flavour of a scalar `kind` ('str', 'int', 'float') held by a parameter called `name`."""
    table = {'str': _STR_FLAVOURS, 'int': _INT_FLAVOURS, 'float': _FLOAT_FLAVOURS}.get(kind)
    if table is None or not name:
        return None
    return _match(table, name)


# ---- fresh values ----------------------------------------------------------------------------

def make_str(rng, flavour):
    if flavour == 'url':
        scheme = rng.choice(('https', 'https', 'http'))
        path = rng.choice(('', '/', '/index.html', '/about', '/api/v1/users', '/search?q=python', '/docs/page'))
        return f'{scheme}://{rng.choice(("www.", "", ""))}{rng.choice(_DOMAINS)}{path}'
    if flavour == 'email':
        user = rng.choice(NAMES).lower() + rng.choice(('', '.' + rng.choice(SURNAMES).lower(), str(rng.randint(1, 99))))
        return f'{user}@{rng.choice(_DOMAINS)}'
    if flavour == 'date':
        return f'{rng.randint(1990, 2030)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}'
    if flavour == 'time':
        return f'{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}'
    if flavour == 'version':
        parts = [str(rng.randint(0, 3)), str(rng.randint(0, 12))] + ([str(rng.randint(0, 20))] if rng.random() < 0.7 else [])
        return '.'.join(parts)
    if flavour == 'path':
        depth = rng.randint(1, 3)
        folders = '/'.join(rng.choice(_DIRS) for _ in range(depth))
        tail = f'{rng.choice(WORDS)}.{rng.choice(_EXTENSIONS)}' if rng.random() < 0.6 else rng.choice(WORDS)
        return f'/{folders}/{tail}' if rng.random() < 0.7 else f'{folders}/{tail}'
    if flavour == 'filename':
        return f'{rng.choice(WORDS)}{rng.choice(("", "_1", "_data", "-v2"))}.{rng.choice(_EXTENSIONS)}'
    if flavour == 'person':
        return rng.choice(NAMES) if rng.random() < 0.6 else f'{rng.choice(NAMES)} {rng.choice(SURNAMES)}'
    if flavour == 'ip':
        return '.'.join(str(rng.choice((10, 127, 192, 172, 8, 255, 0, 1, 168, 100))) for _ in range(4))
    if flavour == 'phone':
        return rng.choice(('+1', '+44', '', '0')) + ''.join(str(rng.randint(0, 9)) for _ in range(rng.choice((7, 9, 10))))
    if flavour == 'color':
        return rng.choice(_COLORS)
    if flavour == 'language':
        return rng.choice(_LANGUAGES)
    if flavour == 'hex':
        return ''.join(rng.choice('0123456789abcdef') for _ in range(rng.choice((2, 4, 6, 8))))
    how, _, text = (flavour or '').partition(':')
    if how == 'split' and text:
        part = rng.choice(('word', 'identifier', 'digits', 'word'))
        return text.join(make_str(rng, part) for _ in range(rng.choice((1, 2, 3, 4, 5, 6))))
    if how in ('has', 'prefix', 'suffix') and text:
        base = make_str(rng, None)
        if how == 'prefix' or (how == 'has' and rng.random() < 0.25):
            return text + base
        if how == 'suffix' or (how == 'has' and rng.random() < 0.33):
            return base + text
        cut = rng.randint(0, len(base))
        return base[:cut] + text + base[cut:]
    if how == 'chars' and text:
        return ''.join(rng.choice(text) for _ in range(rng.choice((1, 2, 3, 4, 4, 5, 6, 8))))
    if flavour == 'digits':
        return ''.join(rng.choice('0123456789') for _ in range(rng.choice((1, 2, 3, 4, 4, 5, 6))))
    if flavour == 'binary':
        return ''.join(rng.choice('01') for _ in range(rng.choice((1, 3, 4, 6, 8))))
    if flavour == 'word':
        return rng.choice(WORDS) if rng.random() < 0.85 else rng.choice(WORDS).capitalize()
    if flavour == 'identifier':
        return identifier(rng)
    if flavour == 'char':
        return rng.choice('abcxyzAZ0159 ,.-_:;/')
    if flavour == 'unit':
        return rng.choice(_UNITS)
    if flavour == 'text':
        roll = rng.random()
        if roll < 0.55:
            return rng.choice(_SENTENCES)
        if roll < 0.85:
            return ' '.join(rng.choice(WORDS) for _ in range(rng.randint(1, 4)))
        return rng.choice(WORDS)
    # No flavour: a word, a few words, an identifier, a short code, now and then a sentence.
    roll = rng.random()
    if roll < 0.1:
        return rng.choice(_CODES)
    if roll < 0.45:
        return rng.choice(WORDS)
    if roll < 0.65:
        return ' '.join(rng.choice(WORDS) for _ in range(rng.randint(2, 3)))
    if roll < 0.8:
        return identifier(rng)
    if roll < 0.92:
        return rng.choice(_SENTENCES)
    return rng.choice(WORDS).capitalize()


def identifier(rng):
    first, second = rng.choice(WORDS), rng.choice(WORDS)
    style = rng.randrange(4)
    if style == 0:
        return first
    if style == 1:
        return f'{first}_{second}'
    if style == 2:
        return first + second.capitalize()
    return f'{first}{rng.randint(1, 9)}'


def make_int(rng, flavour):
    if flavour == 'year':
        return rng.choice((rng.randint(1990, 2030), 2000, 2024, 1900, 2100))
    if flavour == 'month':
        return rng.randint(1, 12)
    if flavour == 'day':
        return rng.randint(1, 31)
    if flavour == 'hour':
        return rng.randint(0, 23)
    if flavour == 'minute':
        return rng.randint(0, 59)
    if flavour == 'age':
        return rng.randint(1, 90)
    if flavour == 'port':
        return rng.choice((80, 443, 8080, 22, 3000, 5432))
    if flavour == 'percent':
        return rng.choice((0, 10, 25, 50, 75, 100, rng.randint(0, 100)))
    if flavour == 'timestamp':
        return rng.choice((0, 60, 3600, 86400, rng.randint(1600000000, 1700000000)))
    if flavour == 'index':
        return rng.choice((0, 0, 1, 2, 3, 4, 5, -1))
    if flavour == 'count':
        return rng.choice((0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 15, 20))
    if flavour == 'id':
        return rng.choice((1, 2, 3, 7, 42, 100, 101, 1001, rng.randint(1, 999)))
    return None


def make_float(rng, flavour):
    if flavour == 'money':
        return rng.choice((0.0, 9.99, 19.5, 100.0, 250.75, 1000.0, 1500.5, round(rng.uniform(1, 5000), 2)))
    if flavour == 'unit':
        return rng.choice((0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0, round(rng.random(), 2)))
    if flavour == 'temperature':
        return rng.choice((-10.0, 0.0, 20.5, 36.6, 37.0, 98.6, 100.0, round(rng.uniform(-30, 110), 1)))
    if flavour == 'latitude':
        return round(rng.uniform(-90, 90), 4)
    if flavour == 'longitude':
        return round(rng.uniform(-180, 180), 4)
    if flavour == 'percent':
        return rng.choice((0.0, 12.5, 50.0, 99.9, 100.0, round(rng.uniform(0, 100), 1)))
    if flavour == 'measure':
        return rng.choice((0.0, 1.5, 2.0, 3.75, 10.0, 42.5, 60.0, 72.3, 175.0, round(rng.uniform(0.5, 200), 1)))
    return None
