"""A real office suite opens every deck: LibreOffice Impress converts each to PDF, and the PDF is
read back (pdfplumber): a page per slide, each slide's title and source line drawn on it, the
Chinese text drawn in a CJK font, no text off the page."""

import re
import subprocess

import pdfplumber
import pytest
from conftest import DATA_DIR
from pptx import Presentation
from test_slide_template import make_template
from test_slides import SLUGS, grid_file
from test_xlsx_safety import soffice

from leaderboard import create_app

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
URLS = {
    **{slug: f"/charts/{slug}/deck.pptx" for slug in SLUGS},
    **{f"{slug}-vs-first": f"/charts/{slug}/deck.pptx?aspect=4:3&baseline="
                           f"{grid_file(slug)[0]['models'][0]['id']}" for slug in SLUGS},
    "compare": "/charts/compare.pptx?models=deepseek-r1,openai-o1-1217,o1-mini,deepseek-v3",
    "cost": "/charts/cost-vs-score.pptx?metric=aime-2024-pass1&price=api-output-price",
    "metric": "/charts/metrics/training-cost.pptx",
    "model": "/charts/models/deepseek-r1.pptx",
    # In Chinese: titles and notes in a CJK face, each Chinese character a full em wide.
    **{f"{slug}-zh": f"/charts/{slug}/deck.pptx?lang=zh" for slug in ("r1-vs-frontier", "text-figures")},
    **{f"{slug}-zh-vs-first": f"/charts/{slug}/deck.pptx?lang=zh&aspect=4:3&baseline="
                              f"{grid_file(slug)[0]['models'][0]['id']}"
       for slug in ("r1-vs-frontier", "r1-distilled", "cost-and-scale")},
}
# Decks on a house template (its 44 pt titles, its layouts), at its size and at another.
HOUSE = {"house-r1-vs-frontier": "/charts/r1-vs-frontier/deck.pptx?baseline=deepseek-v3",
         "house-r1-distilled-16x9": "/charts/r1-distilled/deck.pptx?aspect=16:9"}


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> dict:
    """Every deck and its PDF, converted in one LibreOffice run."""
    work = tmp_path_factory.mktemp("impress")
    client = create_app({"DATA_DIR": str(DATA_DIR)}).test_client()
    house = create_app({"DATA_DIR": str(DATA_DIR), "SLIDE_TEMPLATE": str(
        make_template(work / "template.potx.pptx"))}).test_client()
    for name, url in [*URLS.items(), *HOUSE.items()]:
        response = (house if name in HOUSE else client).get(url)
        assert response.status_code == 200, url
        (work / f"{name}.pptx").write_bytes(response.data)
    (work / "template.potx.pptx").unlink()
    subprocess.run(
        [soffice(), "--headless", f"-env:UserInstallation=file://{work}/profile",
         "--convert-to", "pdf", "--outdir", str(work), *sorted(map(str, work.glob("*.pptx")))],
        check=True, capture_output=True, timeout=600,
    )
    return {name: (work / f"{name}.pptx", work / f"{name}.pdf") for name in [*URLS, *HOUSE]}


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("name", [*URLS, *HOUSE])
def test_libreoffice_draws_every_slide(converted, name):
    pptx, pdf = converted[name]
    assert pdf.exists(), f"LibreOffice did not convert {pptx.name}"
    slides = list(Presentation(str(pptx)).slides)
    with pdfplumber.open(pdf) as document:
        assert len(document.pages) == len(slides)
        for slide, page in zip(slides, document.pages, strict=True):
            drawn = squeezed(page.extract_text() or "")
            heading = squeezed(slide.shapes.title.text_frame.text)
            assert heading[:24] in drawn, (name, page.page_number, heading)
            source = squeezed([s.text_frame.text for s in slide.shapes if s.has_text_frame][-1])
            if source.startswith("Source:"):
                assert source[:40] in drawn, (name, page.page_number)
            for char in page.chars:
                assert 0 <= char["x0"] and char["x1"] <= page.width + 1, (name, char["text"])
                assert 0 <= char["top"] and char["bottom"] <= page.height + 1, (name, char["text"])
                if HAN.match(char["text"]):
                    assert "CJK" in char["fontname"], (name, char["text"], char["fontname"])
            han = HAN.findall("".join(c["text"] for c in page.chars))
            assert len(han) >= len(HAN.findall(source)), (name, page.page_number)


def drawn_text(slide, page) -> list[tuple]:
    """Each text box of a slide (title, notes, source; they come before its chart or table) with
    the characters LibreOffice drew for it: the page draws them in the slide's order (a
    ligature, "ffi", is one character of three letters)."""
    chars = iter(c for c in page.chars if c["text"].strip())
    drawn = []
    for shape in slide.shapes:
        if not shape.has_text_frame:
            break
        text, mine, letters = squeezed(shape.text_frame.text), [], 0
        while letters < len(text):
            char = next(chars, None)
            assert char is not None, f"not drawn: {text}"
            mine.append(char)
            letters += len(squeezed(char["text"]))
        # A glyph from a fallback font (⚠) may be drawn after the rest of its line.
        assert sorted(squeezed("".join(c["text"] for c in mine))) == sorted(text), text
        drawn.append((shape, mine))
    return drawn


@pytest.mark.parametrize("name", [*URLS, *HOUSE])
def test_no_text_runs_into_what_is_under_it(converted, name):
    """A long title, or a note that wraps, stays above the next thing on the slide (the notes,
    the table, the chart): the slides were drawn with a third title line over the notes and a
    wrapped note over a table's header."""
    pptx, pdf = converted[name]
    slides = list(Presentation(str(pptx)).slides)
    with pdfplumber.open(pdf) as document:
        for slide, page in zip(slides, document.pages, strict=True):
            shapes = list(slide.shapes)
            for shape, chars in drawn_text(slide, page):
                below = [s.top for s in shapes if s.top > shape.top]
                if not below or not chars:
                    continue
                limit = min(below) / 12700 + 1.5  # points
                lowest = max(c["bottom"] for c in chars)
                assert lowest <= limit, (name, page.page_number, shape.text_frame.text[:60],
                                         lowest, limit)
