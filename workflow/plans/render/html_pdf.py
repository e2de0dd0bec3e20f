"""HTML documents as tagged PDF (PDF/UA-1) with WeasyPrint: the board report and the
self-evaluation, fetching nothing but the app's own CSS.

WeasyPrint fetches every file and address a page names. Page text is escaped, but the
fetcher is the second wall: it serves files from the static folder and refuses anything
else, so no text in a document can make the server read a local file or call out to a
network.
"""

import mimetypes
from pathlib import Path

from flask import current_app
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# A made-up origin: documents refer to static files under it and nothing else resolves.
STATIC_BASE = "https://static.plan.invalid/"


class StaticOnlyFetcher(URLFetcher):
    def __init__(self, static_folder: str | Path):
        super().__init__(allowed_protocols={"https"}, allow_redirects=False)
        self.root = Path(static_folder).resolve()

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if not url.startswith(STATIC_BASE) or "?" in url or "#" in url or "%" in url:
            raise ValueError(f"Refused to fetch {url[:200]}")
        path = (self.root / url.removeprefix(STATIC_BASE)).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise ValueError(f"Refused to fetch {url[:200]}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def html_to_pdf(page: str) -> bytes:
    fetcher = StaticOnlyFetcher(current_app.static_folder)
    document = HTML(string=page, base_url=STATIC_BASE, url_fetcher=fetcher)
    return document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False)
