"""Text rules of Second Look: `check_text(draft, policy) -> list[Finding]`. No Flask in here."""
from text_checks.engine import TextChecker, check_text

__all__ = ["TextChecker", "check_text"]
