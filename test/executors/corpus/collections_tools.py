def chunk(items: list, size: int) -> list:
    if size <= 0:
        raise ValueError("size must be positive")
    out = []
    for start in range(0, len(items), size):
        out.append(items[start:start + size])
    return out


def histogram(words: list) -> dict:
    counts = {}
    for w in words:
        counts[w] = counts.get(w, 0) + 1
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return dict(ordered)


def merge_sorted(left: list, right: list) -> list:
    i = j = 0
    merged = []
    while i < len(left) and j < len(right):
        if left[i] <= right[j]:
            merged.append(left[i]); i += 1
        else:
            merged.append(right[j]); j += 1
    return merged + left[i:] + right[j:]


def second_largest(values: list) -> int:
    unique = sorted(set(values))
    if len(unique) < 2:
        raise IndexError("need two distinct values")
    return unique[-2]
