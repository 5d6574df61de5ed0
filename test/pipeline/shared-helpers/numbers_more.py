# Corpus for the data-quality test (see text_stats.py).
def _digits(n: int) -> list:
    text = str(abs(n))
    digits = [int(ch) for ch in text]
    return digits


def digit_sum(n: int) -> int:
    digits = _digits(n)
    total = sum(digits)
    return total


def digit_span(n: int) -> int:
    digits = _digits(n)
    span = max(digits) - min(digits)
    return span


def is_harshad(n: int) -> bool:
    if n == 0:
        raise ValueError("zero has no digit sum")
    total = digit_sum(n)
    return n % total == 0


def bucket(value: int, size: int) -> str:
    if size <= 0:
        raise ValueError("size must be positive")
    low = (value // size) * size
    return f"{low}-{low + size - 1}"


def run_lengths(values: list) -> list:
    runs = []
    for v in values:
        if runs and runs[-1][0] == v:
            runs[-1][1] += 1
        else:
            runs.append([v, 1])
    return [tuple(r) for r in runs]
