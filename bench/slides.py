"""Every grid's deck, as LibreOffice draws it, to look at; and what a deck costs.

    python bench/slides.py OUT

writes OUT/<name>.pptx, OUT/<name>.pdf, OUT/png/<name>-<page>.png (every slide, 60 dpi) and
OUT/sheets/*.png (twelve slides a picture, to look through quickly), and prints each deck's
slides and the time it took to build (cold: a new app each round), with the picture deck
(?style=picture) of the same view for a ratio measured in the same run.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

import pdfplumber
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from leaderboard import BUNDLED_DATA, create_app  # noqa: E402
from leaderboard.data import load  # noqa: E402


def urls() -> dict[str, str]:
    ds = load(str(BUNDLED_DATA))
    out = {}
    for slug, grid in ds.grids.items():
        out[slug] = f"/charts/{slug}/deck.pptx"
        out[f"{slug}-vs-first-4x3"] = (f"/charts/{slug}/deck.pptx?aspect=4:3"
                                       f"&baseline={grid.models[0].id}")
    out["compare"] = "/charts/compare.pptx?models=deepseek-r1,openai-o1-1217,o1-mini,deepseek-v3"
    out["cost"] = "/charts/cost-vs-score.pptx?metric=aime-2024-pass1&price=api-output-price"
    out["metric"] = "/charts/metrics/training-cost.pptx"
    out["model"] = "/charts/models/deepseek-r1.pptx"
    return out


def cold(url: str, rounds: int = 3) -> float:
    """The median time to build `url` in a new app (nothing cached)."""
    times = []
    for _ in range(rounds):
        client = create_app().test_client()
        start = time.perf_counter()
        assert client.get(url).status_code == 200, url
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def sheets(pngs: list[Path], out: Path, per: int = 12, columns: int = 3) -> None:
    out.mkdir(exist_ok=True)
    w, h = 800, 450  # a 16:9 slide at 60 dpi; a 4:3 one is drawn 600 wide in its box
    for n in range(0, len(pngs), per):
        images = [Image.open(p) for p in pngs[n:n + per]]
        rows = -(-len(images) // columns)
        sheet = Image.new("RGB", (w * columns + 4 * columns, h * rows + 4 * rows), "#888888")
        for i, image in enumerate(images):
            image.thumbnail((w, h))
            sheet.paste(image, ((i % columns) * (w + 4), (i // columns) * (h + 4)))
        sheet.save(out / f"sheet-{n // per + 1:02d}.png")


def main(out: Path) -> None:
    (out / "png").mkdir(parents=True, exist_ok=True)
    client = create_app().test_client()
    for name, url in urls().items():
        (out / f"{name}.pptx").write_bytes(client.get(url).data)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{out}/profile",
                    "--convert-to", "pdf", "--outdir", str(out),
                    *sorted(map(str, out.glob("*.pptx")))], check=True, capture_output=True)
    pngs = []
    for pdf in sorted(out.glob("*.pdf")):
        with pdfplumber.open(pdf) as document:
            for page in document.pages:
                path = out / "png" / f"{pdf.stem}-{page.page_number:02d}.png"
                page.to_image(resolution=60).save(path)
                pngs.append(path)
    sheets(pngs, out / "sheets")
    print(f"{len(pngs)} slides drawn by LibreOffice: {out}/png, contact sheets in {out}/sheets")

    for view in ("/charts/r1-vs-frontier/deck.pptx?metrics=mmlu-pass1,aime-2024-pass1",
                 "/charts/r1-vs-frontier/deck.pptx"):
        native = cold(view)
        picture = cold(view + ("&" if "?" in view else "?") + "style=picture")
        print(f"{view}: native {native:.2f} s, picture {picture:.2f} s "
              f"(native / picture {native / picture:.2f})")


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve())
