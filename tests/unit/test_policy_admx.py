"""The Group Policy template matches the policy keys the code reads, in German and English."""

from __future__ import annotations

import re
import typing
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from client.policy import POLICY_KEY, POLICY_KEYS, PolicyDocument

ROOT = Path(__file__).resolve().parents[2] / "installers" / "windows" / "policy"
NS = {"p": "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions"}
LANGUAGES = ("en-US", "de-DE")


def admx() -> ET.Element:
    return ET.parse(ROOT / "runde.admx").getroot()


def adml(language: str) -> ET.Element:
    return ET.parse(ROOT / language / "runde.adml").getroot()


def registry_values(root: ET.Element) -> dict[str, ET.Element]:
    """Every registry value the template writes, by name, with the policy that writes it."""
    found: dict[str, ET.Element] = {}
    for policy in root.iterfind(".//p:policy", NS):
        assert policy.get("key") == POLICY_KEY, policy.get("name")
        if policy.get("valueName"):
            found[policy.get("valueName", "")] = policy
        for element in policy.iterfind("p:elements/*", NS):
            if element.tag.endswith("}list"):
                key = element.get("key", "")
                assert key.startswith(POLICY_KEY + "\\"), key
                found[key.rsplit("\\", 1)[1]] = policy
            else:
                found[element.get("valueName", "")] = policy
    return found


def test_every_policy_key_is_in_the_template_and_nothing_else() -> None:
    assert set(registry_values(admx())) == set(POLICY_KEYS)


def test_switches_are_dword_0_or_1() -> None:
    values = registry_values(admx())
    for name, info in PolicyDocument.model_fields.items():
        if info.annotation in (bool, bool | None):
            policy = values[name]
            assert policy.find("p:enabledValue/p:decimal", NS) is not None, name
            assert policy.find("p:disabledValue/p:decimal", NS) is not None, name


@pytest.mark.parametrize("name", ["language", "display_name_source"])
def test_choices_match_the_schema(name: str) -> None:
    enum = admx().find(f".//p:enum[@id='{name}']", NS)
    assert enum is not None
    offered = {s.text for s in enum.iterfind("p:item/p:value/p:string", NS)}
    annotation = PolicyDocument.model_fields[name].annotation
    literal = next(a for a in typing.get_args(annotation) if a is not type(None))
    allowed = set(typing.get_args(literal)) or set(typing.get_args(annotation))
    assert offered == allowed


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_and_presentation_resolves(language: str) -> None:
    template = (ROOT / "runde.admx").read_text(encoding="utf-8")
    resources = adml(language)
    strings = {s.get("id") for s in resources.iterfind(".//p:stringTable/p:string", NS)}
    presentations = {
        p.get("id"): p for p in resources.iterfind(".//p:presentationTable/p:presentation", NS)
    }
    for wanted in set(re.findall(r"\$\(string\.([A-Za-z0-9_]+)\)", template)):
        assert wanted in strings, f"{language}: string {wanted} missing"
    for policy in admx().iterfind(".//p:policy", NS):
        element_ids = {e.get("id") for e in policy.iterfind("p:elements/*", NS)}
        reference = policy.get("presentation")
        if not element_ids:
            assert reference is None
            continue
        assert reference is not None, policy.get("name")
        presentation = presentations[reference.removeprefix("$(presentation.").rstrip(")")]
        shown = {c.get("refId") for c in presentation}
        assert shown == element_ids, (language, policy.get("name"))
        for child in presentation:
            assert "".join(child.itertext()).strip(), (language, child.get("refId"))


def test_both_languages_have_the_same_strings() -> None:
    ids = [
        {s.get("id") for s in adml(language).iterfind(".//p:stringTable/p:string", NS)}
        for language in LANGUAGES
    ]
    assert ids[0] == ids[1]
