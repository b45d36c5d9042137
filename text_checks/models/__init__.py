"""Model files shipped with the text checks (see docs/language-model.md)."""
