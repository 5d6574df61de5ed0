# A small corpus for the run tests: plain, deterministic functions of different shapes.


def count_vowels(text: str) -> int:
    vowels = "aeiou"
    total = 0
    for ch in text.lower():
        if ch in vowels:
            total += 1
    return total


def title_words(sentence: str, minimum: int = 3) -> str:
    words = sentence.split()
    out = []
    for word in words:
        out.append(word.capitalize() if len(word) >= minimum else word)
    return " ".join(out)


def run_length(text: str) -> list:
    pairs = []
    for ch in text:
        if pairs and pairs[-1][0] == ch:
            pairs[-1] = (ch, pairs[-1][1] + 1)
        else:
            pairs.append((ch, 1))
    return pairs


def is_palindrome(text: str) -> bool:
    cleaned = [c.lower() for c in text if c.isalnum()]
    if not cleaned:
        raise ValueError("nothing to compare")
    return cleaned == cleaned[::-1]
