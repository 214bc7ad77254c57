"""Password rules beside Django's own (length, common list, all-digits, similarity to the user).

The 等级保护 baseline for government systems asks for at least three kinds of characters; a word
everyone would try first (the system's own name, "admin", the username) with digits or symbols
around it is still the first guess, whatever its length.
"""

import re

from django.core.exceptions import ValidationError

# Lower-case letters that, with only digits and symbols added, make a first guess.
GUESSABLE_WORDS = frozenset(
    {
        "fazhi", "fz", "fzzf", "zhengfu", "sifa", "sifaju", "sifasuo", "yifazhixian", "fazhizhengfu",
        "admin", "administrator", "root", "user", "test", "guest", "system", "sys", "manager",
        "password", "passwd", "pass", "pwd", "mima", "qwerty", "qwe", "asdf", "zxcv", "abc", "abcd",
        "welcome", "hello", "iloveyou", "woaini", "china", "zhongguo", "beijing", "a", "aa", "aaa",
    }
)  # fmt: skip


def _letters(value: str) -> str:
    return re.sub(r"[^a-z]", "", value.lower())


class CharacterClassesValidator:
    """At least ``min_classes`` of: upper-case letters, lower-case letters, digits, symbols, Chinese
    characters."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        classes = (
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
            any(c.isalpha() and not c.isascii() for c in password),
        )
        if sum(classes) < self.min_classes:
            raise ValidationError(
                "密码须至少包含大写字母、小写字母、数字、符号、汉字中的%(n)d类。",
                code="password_too_simple",
                params={"n": self.min_classes},
            )

    def get_help_text(self) -> str:
        return f"至少包含大写字母、小写字母、数字、符号、汉字中的{self.min_classes}类。"


class GuessableWordValidator:
    """Refuses a common word, the system's name or the username with only digits and symbols around it
    (``fazhi123``, ``Admin@2024``, ``pwuser01`` for the user pwuser)."""

    def validate(self, password: str, user=None) -> None:
        letters = _letters(password)
        own = {_letters(getattr(user, "username", "") or "")} - {""}
        if letters in GUESSABLE_WORDS or letters in own:
            raise ValidationError(
                "密码不能只是常见单词、系统名称或用户名加上数字、符号（如 fazhi123、Admin@2024）。",
                code="password_guessable",
            )

    def get_help_text(self) -> str:
        return "不能只是常见单词、系统名称或用户名加上数字、符号。"
