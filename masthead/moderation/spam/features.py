"""What the logistic part of the spam model looks at.

The naive Bayes tokens (words, word pairs, links, shape), plus every run of three to five
characters inside each space-separated chunk of the comment, padded with a space at both ends
so that beginnings and endings of words count apart. Pieces of words carry what whole words
miss: misspellings ("subscibe", "suscribe"), words run together, and the parts of an address.
"""

from masthead.moderation.spam.tokens import normalise, tokenize_plain

GRAM_SIZES = (3, 4, 5)


def char_grams(text: str) -> list[str]:
    found = []
    for chunk in text.casefold().split():
        padded = f" {chunk} "
        if len(padded) < GRAM_SIZES[0]:
            found.append(f"c:{padded}")
        for size in GRAM_SIZES:
            found += [f"c:{padded[i : i + size]}" for i in range(len(padded) - size + 1)]
    return found


def features(body: str) -> list[str]:
    """The distinct features of a comment body, in order of first appearance."""
    text = normalise(body)
    return list(dict.fromkeys(tokenize_plain(text) + char_grams(text)))
