# Corpus for the run tests. Loops are bounded by the input size only where inputs stay small:
# a call near a time limit could time out on a loaded machine and make two runs differ.
def clamp_sum(values: list, low: int, high: int) -> int:
    total = sum(values)
    if low > high:
        raise ValueError("low above high")
    return max(low, min(high, total))


def digit_product(n: int) -> int:
    product = 1
    for ch in str(abs(n)):
        product *= int(ch)
    return product


def bucket_label(score: int, width: int = 10) -> str:
    if width <= 0:
        raise ValueError("width must be positive")
    low = (score // width) * width
    return f"{low}-{low + width - 1}"


def safe_ratio(a: float, b: float) -> float:
    if b == 0:
        return 0.0
    value = a / b
    return round(value, 4)


def gcd_list(values: list) -> int:
    result = 0
    for v in values:
        a, b = abs(result), abs(v)
        while b:
            a, b = b, a % b
        result = a
    return result
