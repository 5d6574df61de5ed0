# Corpus for the data-quality test: helpers that are functions of their own and are carried into
# the code of the functions that call them, so a split by entry function alone would leak them.
def _words(text: str) -> list:
    cleaned = text.replace(",", " ").replace(".", " ")
    parts = cleaned.split()
    return [w.lower() for w in parts if w]


def word_count(text: str) -> int:
    words = _words(text)
    if not words:
        return 0
    return len(words)


def longest_word(text: str) -> str:
    words = _words(text)
    if not words:
        return ""
    return max(words, key=len)


def initials(text: str) -> str:
    words = _words(text)
    letters = [w[0].upper() for w in words]
    return "".join(letters)


def distinct_words(text: str) -> list:
    words = _words(text)
    seen = sorted(set(words))
    return seen


def _clamp(value: int, low: int, high: int) -> int:
    if low > high:
        raise ValueError("empty range")
    return max(low, min(high, value))


def percent_of(part: int, whole: int) -> int:
    if whole == 0:
        raise ZeroDivisionError("whole is zero")
    share = round(100 * part / whole)
    return _clamp(share, 0, 100)


def scale_score(score: int, width: int) -> int:
    if width < 0:
        raise ValueError("negative width")
    scaled = score * 2 - 1
    return _clamp(scaled, 0, width)


def word_share(text: str, word: str) -> int:
    words = _words(text)
    hits = sum(1 for w in words if w == word.lower())
    return percent_of(hits, len(words))
