def clamp_sum(values: list, low: int, high: int) -> int:
    total = sum(values)
    if low > high:
        raise ValueError("low above high")
    return max(low, min(high, total))


def digit_product(n: int) -> int:
    n = abs(n)
    product = 1
    while n:
        product *= n % 10
        n //= 10
    return product


def collatz_steps(n: int) -> int:
    if n < 1:
        raise ValueError("n must be positive")
    steps = 0
    while n != 1 and steps < 500:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


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
