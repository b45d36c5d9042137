"""The policy file: the built-in default, another school's file, and clear errors for bad ones."""
from __future__ import annotations

import re

import pytest

from checks_common.policy import PolicyError, default_policy, default_policy_text, load_policy, parse_policy
from server import create_app


def test_default_policy_is_king_jamess():
    policy = default_policy()
    assert policy.school_name == "King James's School"
    assert "KJS" in policy.aliases
    assert policy.clause("2.8").title == "Use of images"
    assert policy.clause("1, 2.9").ref == "1, 2.9"
    assert policy.face_match_threshold <= policy.face_possible_threshold


def test_another_schools_file(tmp_path):
    text = default_policy_text().replace('name = "King James\'s School"', 'name = "Harrogate High"')
    path = tmp_path / "policy.toml"
    path.write_text(text + '\n[rules.tone]\nenabled = false\n[rules.controversial-topic]\nseverity = "warn"\n'
                    .replace("[rules]\n", ""), encoding="utf-8")
    # the default file already has an empty [rules] table; tables may be extended
    policy = load_policy(path)
    assert policy.school_name == "Harrogate High"
    assert not policy.rule_enabled("tone")
    assert policy.severity_for("controversial-topic", "advice") == "warn"


@pytest.mark.parametrize("change, key", [
    (("min_face_px", "min_face_pix"), "faces.min_face_pix"),
    ((r"match_threshold = [0-9.]+", "match_threshold = 7"), "faces.match_threshold"),
    ((r"\[school\]\n", "[school]\nmotto = 'x'\n"), "school.motto"),
    (('retention_days = 365', 'retention_days = "a year"'), "log.retention_days"),
    ((r"possible_threshold = [0-9.]+", "possible_threshold = 0.1"), "faces.possible_threshold"),
])
def test_invalid_policy_names_the_bad_key(change, key):
    with pytest.raises(PolicyError) as err:
        parse_policy(re.sub(change[0], change[1], default_policy_text(), count=1), source="bad.toml")
    assert key in str(err.value)
    assert "bad.toml" in str(err.value)


def test_bad_severity_override_names_rule():
    with pytest.raises(PolicyError, match="rules.tone.*severity"):
        parse_policy(default_policy_text() + '\n[rules.tone]\nseverity = "catastrophic"\n')


def test_not_toml():
    with pytest.raises(PolicyError, match="not valid TOML"):
        parse_policy("this is = = not toml")


def test_missing_file():
    with pytest.raises(PolicyError, match="cannot read"):
        load_policy("/nonexistent/policy.toml")


def test_app_refuses_to_start_with_invalid_policy(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[school]\nname = 'X'\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="invalid policy file.*disclaimer"):
        create_app({"TESTING": True, "POLICY": str(path), "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite"})
