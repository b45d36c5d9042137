"""Any text, however odd, checks without error and every span points inside the draft."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checks_common import Draft, utf16_span
from tests.rules.table import NAMES, checker

PIECES = st.sampled_from([
    "King James's", "Samantha Jones", "07911 123456", "HG1 2AB", "idiot", "1d10t", "s.t.u.p.i.d", "f**k",
    "Jack in 9B", "excluded", "ADHD", "CONFIDENTIAL", "@jbloggs09", "@harrogateadvert", "\"", "“", "”",
    "🎉", "👩‍🏫", "İ", "\n", "  ", "...", "Mr Smith is a liar", "DOB 04/05/2012", "B801200005001",
    "STOP", "YOU", "vote Labour", "RT", "use code ABC10", "views my own",
])
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=30).map(" ".join)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS, account=st.sampled_from(["school", "personal"]),
       audience=st.sampled_from(["public", "group", "direct"]))
def test_any_text_checks_cleanly(text, account, audience):
    findings = checker().check(Draft(text=text, account_type=account, audience=audience), NAMES)
    for f in findings:
        if f.span:
            start, end = f.span
            assert 0 <= start < end <= len(text)
            u_start, u_end = utf16_span(text, start, end)
            assert text.encode("utf-16-le")[u_start * 2:u_end * 2].decode("utf-16-le") == text[start:end]
        if f.rule == "no-publish-name":
            assert "Samantha" not in f.message + f.suggestion
    assert findings == checker().check(Draft(text=text, account_type=account, audience=audience), NAMES)
