"""A house template (LEADERBOARD_SLIDE_TEMPLATE): every deck takes its masters, layouts, theme
colours and fonts and its slide size; a file that cannot make decks stops the service at start
with a message naming it."""

import io

import pytest
from conftest import DATA_DIR
from live import Gunicorn
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.util import Inches

from leaderboard import create_app
from leaderboard.slides import TemplateError

HOUSE_ACCENT = "7A1F5C"  # the template's first accent colour (python-pptx's own is 4F81BD)
HOUSE_FONT = "DejaVu Serif"
TITLE_ONLY = "House title only"


def theme_xml(prs) -> bytes:
    return prs.slide_masters[0].part.part_related_by(RT.THEME).blob


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return make_template(tmp_path_factory.mktemp("template") / "house.pptx")


def make_template(path):
    """A 4:3 template of its own colours and fonts, a renamed layout and a slide of its own."""
    prs = Presentation()
    theme = prs.slide_masters[0].part.part_related_by(RT.THEME)
    xml = theme.blob.decode("utf-8")
    assert 'srgbClr val="4F81BD"' in xml and 'typeface="Calibri"' in xml
    theme._blob = (xml.replace('srgbClr val="4F81BD"', f'srgbClr val="{HOUSE_ACCENT}"')
                   .replace('typeface="Calibri"', f'typeface="{HOUSE_FONT}"')).encode("utf-8")
    title_only = next(layout for layout in prs.slide_layouts if layout.name == "Title Only")
    title_only._element.cSld.set("name", TITLE_ONLY)
    own = prs.slides.add_slide(prs.slide_layouts[0])
    own.shapes.title.text = "The firm's own first slide"
    prs.save(path)
    return path


@pytest.fixture(scope="module")
def house(template):
    return create_app({"DATA_DIR": str(DATA_DIR), "SLIDE_TEMPLATE": str(template)}).test_client()


def test_a_deck_takes_the_templates_theme_layouts_and_size(house, template):
    given = Presentation(str(template))
    prs = Presentation(io.BytesIO(house.get("/charts/r1-distilled/deck.pptx").data))
    assert (prs.slide_width, prs.slide_height) == (given.slide_width, given.slide_height) == (
        Inches(10), Inches(7.5))
    assert [la.name for la in prs.slide_layouts] == [la.name for la in given.slide_layouts]
    assert theme_xml(prs) == theme_xml(given)
    assert HOUSE_ACCENT.encode() in theme_xml(prs) and HOUSE_FONT.encode() in theme_xml(prs)
    titles = [s.shapes.title.text_frame.text for s in prs.slides]
    assert "The firm's own first slide" not in titles
    assert titles[0] == "DeepSeek's distilled small models beat OpenAI o1-mini"
    assert prs.slides[0].slide_layout.name == "Title Slide"
    layout = next(la for la in prs.slide_layouts if la.name == TITLE_ONLY)
    (placed,) = [p for p in layout.placeholders
                 if p.placeholder_format.type == PP_PLACEHOLDER.TITLE]
    for slide in list(prs.slides)[1:]:
        assert slide.slide_layout.name == TITLE_ONLY
        # The title where the template puts it, in the template's font (no font set on it).
        heading = slide.shapes.title
        assert (heading.left, heading.top, heading.width) == (placed.left, placed.top,
                                                              placed.width)
        assert all(r.font.name is None for p in heading.text_frame.paragraphs for r in p.runs)
        for shape in slide.shapes:
            assert shape.left + shape.width <= prs.slide_width + 1
            assert shape.top + shape.height <= prs.slide_height + 1


def test_charts_bars_take_the_theme_colour_where_no_colour_means_something(house):
    prs = Presentation(io.BytesIO(house.get("/charts/r1-distilled/bar-aime-2024-pass1.pptx").data))
    (chart,) = [s.chart for s in prs.slides[0].shapes if s.has_chart]
    series = chart.plots[0].series[0]
    fills = [series.points[i].format.fill.type for i in range(len(series.values))]
    assert fills.count(None) == len(fills) - 1  # the others: the theme's accent; the best green
    assert series.format.fill.type is None


def test_an_asked_aspect_overrides_the_templates_size(house):
    prs = Presentation(io.BytesIO(house.get("/charts/r1-distilled/deck.pptx?aspect=16:9").data))
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))


def test_a_template_makes_other_decks_than_the_built_in_look(house, client):
    """The cache keys decks by template: a built-in deck is never served from a house one."""
    url = "/charts/r1-distilled/deck.pptx?metrics=aime-2024-pass1"
    built_in = Presentation(io.BytesIO(client.get(url).data))
    houses = Presentation(io.BytesIO(house.get(url).data))
    assert built_in.slide_width == Inches(13.333) and houses.slide_width == Inches(10)


def no_title_layouts(path):
    prs = Presentation()
    for layout in list(prs.slide_layouts):
        if any(p.placeholder_format.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
               for p in layout.placeholders):
            prs.slide_layouts.remove(layout)
    prs.save(path)


@pytest.mark.parametrize(("make", "says"), [
    (None, "cannot read the slide template"),
    (lambda p: p.write_text("not a deck"), "not a PowerPoint file"),
    (lambda p: p.write_bytes(b"PK\x03\x04 broken zip"), "not a PowerPoint file"),
    (no_title_layouts, "none of its slide layouts has a title placeholder"),
])
def test_a_bad_template_is_refused_at_start_with_the_file_named(tmp_path, make, says):
    path = tmp_path / "house.pptx"
    if make:
        make(path)
    with pytest.raises(TemplateError) as refused:
        create_app({"DATA_DIR": str(DATA_DIR), "SLIDE_TEMPLATE": str(path)})
    assert str(refused.value).startswith(f"LEADERBOARD_SLIDE_TEMPLATE={path}: {says}")


def test_the_server_does_not_start_on_a_bad_template(tmp_path):
    path = tmp_path / "house.pptx"
    path.write_text("not a deck")
    server = Gunicorn(DATA_DIR, workers=1, env={"LEADERBOARD_SLIDE_TEMPLATE": str(path)})
    try:
        with pytest.raises(RuntimeError) as stopped:
            server.wait(timeout=60)
    finally:
        server.stop()
    assert f"LEADERBOARD_SLIDE_TEMPLATE={path}: not a PowerPoint file" in str(stopped.value)


def test_a_template_is_part_of_the_etag(house, client):
    """A deck drawn on another template is another answer: a client holding the built-in deck
    is not told it is still good."""
    url = "/charts/r1-distilled/bar-aime-2024-pass1.pptx"
    plain = client.get(url).headers["ETag"]
    assert house.get(url).headers["ETag"] != plain
    assert house.get(url, headers={"If-None-Match": plain}).status_code == 200


def test_a_potx_is_refused_with_what_to_do(tmp_path, template):
    """A .potx is the same package with another content type: save it as a .pptx."""
    import zipfile

    potx = tmp_path / "house.potx"
    with zipfile.ZipFile(template) as zin, zipfile.ZipFile(potx, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"presentationml.presentation.main+xml",
                                    b"presentationml.template.main+xml")
            zout.writestr(item, data)
    with pytest.raises(TemplateError) as refused:
        create_app({"DATA_DIR": str(DATA_DIR), "SLIDE_TEMPLATE": str(potx)})
    assert "save it as a presentation (.pptx)" in str(refused.value)
    assert "BytesIO" not in str(refused.value)


def test_a_template_drawn_at_another_size_places_its_titles(house):
    prs = Presentation(io.BytesIO(house.get("/charts/r1-distilled/deck.pptx?aspect=16:9").data))
    for slide in list(prs.slides)[1:]:
        heading = slide.shapes.title
        assert heading.left + heading.width > prs.slide_width * 0.9  # across the wide slide
