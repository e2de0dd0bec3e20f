"""How well the personal-data check tells personal data from ordinary council writing.

    .venv/bin/python bench/privacy.py            # recall and precision on the labelled set
    .venv/bin/python bench/privacy.py --misses   # and every sentence it got wrong

bench/privacy_sentences.tsv holds sentences written for this: some carry a child's or a
family's personal data (names, addresses, phone numbers, NHS numbers, dates of birth,
emails, case numbers), others are the plain language of plans and updates, with the
vocabulary that must not be flagged ("Children in Care Council", "Virtual School", places).
A sentence counts as flagged when the check finds anything in it. Recall is the share of
personal sentences flagged; precision the share of flagged sentences that are personal.
The test tests/plans/test_privacy_bench.py holds recall at 95% and precision at 80%.
"""

import csv
import sys
from pathlib import Path

SENTENCES = Path(__file__).with_name("privacy_sentences.tsv")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def labelled() -> list[tuple[bool, str]]:
    with SENTENCES.open(encoding="utf-8", newline="") as file:
        rows = csv.DictReader(file, delimiter="\t")
        return [(row["label"] == "personal", row["sentence"]) for row in rows]


def measure(scan) -> dict:
    """scan(sentence) -> hits. Counts, recall, precision and what was got wrong."""
    true_pos = false_pos = false_neg = true_neg = 0
    wrong = []
    for personal, sentence in labelled():
        flagged = bool(scan(sentence))
        if personal and flagged:
            true_pos += 1
        elif personal:
            false_neg += 1
            wrong.append(("missed", sentence, []))
        elif flagged:
            false_pos += 1
            wrong.append(("false alarm", sentence, scan(sentence)))
        else:
            true_neg += 1
    return {
        "sentences": true_pos + false_pos + false_neg + true_neg,
        "personal": true_pos + false_neg,
        "recall": true_pos / max(1, true_pos + false_neg),
        "precision": true_pos / max(1, true_pos + false_pos),
        "wrong": wrong,
    }


def main() -> None:
    from workflow.models import Authority
    from workflow.plans.privacy import Scanner

    authority = Authority(
        name="City of Wolverhampton Council",
        email_domain="wolverhampton.gov.uk",
        case_reference_pattern=r"\bWCC-\d{6}\b",
    )
    # Staff names stand in for the authority's users (no database here).
    scanner = Scanner(authority, staff={"Karen Jones", "Rachel Adeyemi"})
    result = measure(scanner.scan)
    print(
        f"{result['sentences']} sentences, {result['personal']} with personal data: "
        f"recall {result['recall']:.1%}, precision {result['precision']:.1%}"
    )
    if "--misses" in sys.argv:
        for what, sentence, hits in result["wrong"]:
            print(f"  {what}: {sentence} {hits or ''}")


if __name__ == "__main__":
    main()
