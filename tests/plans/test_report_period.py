"""The reporting period, wherever it is read (the board report page, its downloads, the
self-evaluation's downloads, the command): one check, the same messages, never a 500."""

import pytest

from tests.conftest import text_of
from tests.test_hostile_input import HOSTILE

# Dates a link may carry that are no use as a period: a year past the date boxes' range
# (9999-12-31 once overflowed the day after the period's end), before it, not real, not dates.
BAD_DATES = [
    "9999-12-31",
    "0001-01-01",
    "1989-12-31",
    "2101-01-01",
    "2024-02-30",
    "2024-13-01",
    "99999-01-01",
    "-2022-01-01",
    "2022-01-01T00:00",
    "20220101",
    "2022-W01-1",
]


def report_url(world, fmt: str | None, since: str, until: str) -> str:
    path = f"/inspections/{world.inspection.id}/report"
    return (f"{path}/export.{fmt}" if fmt else path) + f"?since={since}&until={until}"


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_a_download_with_a_year_past_the_range_shows_the_page_and_why(world, login, fmt):
    client = login("viewer")
    response = client.get(report_url(world, fmt, "2022-01-01", "9999-12-31"))
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    page = text_of(response)
    assert "There is a problem" in page and "To must be in or before 2100" in page
    assert 'value="9999"' in response.get_data(as_text=True)  # the year as it was asked for
    assert "Download the report for" not in page


def test_the_page_reads_a_links_dates_and_refuses_the_same_ones(world, login):
    client = login("viewer")
    good = client.get(report_url(world, None, "2022-01-01", "2022-03-31"))
    assert "Download the report for 1 January 2022 to 31 March 2022" in text_of(good)
    bad = client.get(report_url(world, None, "2022-01-01", "9999-12-31"))
    assert bad.status_code == 200
    assert "To must be in or before 2100" in text_of(bad)


def test_a_self_evaluation_download_with_a_bad_period_says_why(world, login):
    client = login("viewer")
    path = f"/inspections/{world.inspection.id}/self-evaluation/export.docx"
    response = client.get(f"{path}?since=2022-01-01&until=9999-12-31")
    assert response.status_code == 400
    assert "To must be in or before 2100" in text_of(response)
    backwards = client.get(f"{path}?since=2023-01-01&until=2022-01-01")
    assert backwards.status_code == 400
    assert "The end of the period must be on or after its start" in text_of(backwards)
    good = client.get(f"{path}?since=2022-01-01&until=2023-01-01")
    assert good.status_code == 200 and good.mimetype.endswith("wordprocessingml.document")


@pytest.mark.parametrize("value", BAD_DATES + HOSTILE)
def test_no_date_in_a_link_answers_a_server_error(world, login, value):
    client = login("viewer")
    self_evaluation = f"/inspections/{world.inspection.id}/self-evaluation/export.pdf"
    for since, until in ((value, "2022-03-31"), ("2022-01-01", value)):
        assert client.get(report_url(world, None, since, until)).status_code == 200, value
        assert client.get(report_url(world, "docx", since, until)).status_code == 400, value
        answer = client.get(f"{self_evaluation}?since={since}&until={until}")
        assert answer.status_code == 400, value


def test_the_command_refuses_a_period_the_page_would(runner, world, tmp_path):
    output = tmp_path / "report.pdf"
    args = ["plan", "report", "--inspection", str(world.inspection.id), "--format", "pdf"]
    result = runner.invoke(
        args=[*args, "--since", "2022-01-01", "--until", "9999-12-31", "--output", str(output)]
    )
    assert result.exit_code == 2
    assert "To must be in or before 2100" in result.output
    assert not output.exists()
    backwards = runner.invoke(
        args=[*args, "--since", "2023-01-01", "--until", "2022-01-01", "--output", str(output)]
    )
    assert "The end of the period must be on or after its start" in backwards.output
