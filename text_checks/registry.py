"""Every text rule, in one list (ruff's codes table).

A rule's class declares all its facts (checks_common/rule.py); registering it here is the only
other step: the review pages' catalogue and the log's masks are derived from this list, and
tests/rules/test_rule_facts.py then asks for its table-test file and its row in DESIGN.md.

The order is the order findings of equal severity and position are reported in.
"""
from __future__ import annotations

from text_checks.rule import TextRule
from text_checks.rules.account import IndividualPupilContact, JournalistContact, PersonalAccountPupilContact
from text_checks.rules.conduct import DefamationRisk, InternalGrievance
from text_checks.rules.contact import PersonalContact
from text_checks.rules.disclaimer import MissingDisclaimer
from text_checks.rules.identifiers import PupilIdentifier
from text_checks.rules.language import Derogatory, Discriminatory
from text_checks.rules.no_publish_name import NoPublishName
from text_checks.rules.sensitive import ConfidentialMarker, SensitivePupilInfo
from text_checks.rules.threat import Threat
from text_checks.rules.tone import Tone
from text_checks.rules.topics import ControversialTopic, PersonalGain, ThirdPartyContent

TEXT_RULES: tuple[type[TextRule], ...] = (
    NoPublishName,
    PupilIdentifier,
    PersonalContact,
    SensitivePupilInfo,
    ConfidentialMarker,
    Derogatory,
    Discriminatory,
    Threat,
    DefamationRisk,
    InternalGrievance,
    MissingDisclaimer,
    IndividualPupilContact,
    PersonalAccountPupilContact,
    ControversialTopic,
    PersonalGain,
    ThirdPartyContent,
    Tone,
    JournalistContact,
)
