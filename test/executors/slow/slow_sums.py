# Functions whose every call takes a few milliseconds, so that a shard takes long enough to be
# interrupted in the middle by the executor tests.


def weighted_total(n, weight=3):
    total = 0
    for i in range(40000):
        total += (i * weight) % (abs(n) + 7)
    if total % 2 == 0:
        return total // 2
    return total


def digit_churn(x, rounds=2):
    value = abs(int(x)) + 1
    for _ in range(20000 * max(1, min(int(rounds), 3))):
        value = (value * 31 + 7) % 1000003
    if value > 500000:
        return value - 500000
    return value


def count_below(limit, step=1):
    if step <= 0:
        raise ValueError('step must be positive')
    hits = 0
    for i in range(0, 30000, step):
        if i % (abs(limit) + 3) == 0:
            hits += 1
    return hits
