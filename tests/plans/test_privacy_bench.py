"""The personal-data check on the labelled sentences of bench/privacy_sentences.tsv."""

import importlib.util
from pathlib import Path

from workflow.models import Authority
from workflow.plans.privacy import Scanner

BENCH = Path(__file__).resolve().parents[2] / "bench" / "privacy.py"


def load_bench():
    spec = importlib.util.spec_from_file_location("privacy_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_recall_and_precision_hold_on_the_labelled_set():
    bench = load_bench()
    sentences = bench.labelled()
    assert len(sentences) >= 200
    assert sum(personal for personal, _ in sentences) >= 80  # both kinds well represented
    authority = Authority(
        name="City of Wolverhampton Council",
        email_domain="wolverhampton.gov.uk",
        case_reference_pattern=r"\bWCC-\d{6}\b",
    )
    result = bench.measure(Scanner(authority, staff={"Karen Jones", "Rachel Adeyemi"}).scan)
    assert result["recall"] >= 0.95, result["wrong"]
    assert result["precision"] >= 0.80, result["wrong"]


def test_what_slipped_past_before_is_caught():
    scanner = Scanner(Authority(name="x", email_domain="council.example"), staff=set())
    kinds = dict(
        (text, kind) for kind, text in scanner.scan("Karen Jones visited 14 Acacia Avenue.")
    )
    assert kinds == {"Karen Jones": "Person's name", "14 Acacia Avenue": "Street address"}
    for clean in [
        "The Children in Care Council met the Virtual School head in Wolverhampton.",
        "Cabinet approved the plan on 15 December 2022.",
        "Victoria Park hosted the care leavers' celebration.",
    ]:
        assert scanner.scan(clean) == [], clean


def test_the_authoritys_staff_names_are_part_of_the_gazetteer(world):
    scanner = Scanner(world.authority)
    assert ("Person's name", "Mo Manager") in scanner.scan("Mo Manager met the family.")
