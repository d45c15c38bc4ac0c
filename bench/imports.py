"""What the import page's largest inputs cost: a POST of the largest review it gives (200 copies
of the report's figure 4: 200 tables, 12,000 cells) and of the most tables it refuses (153,846
tables of four cells), through the test client, median of 3.

    python bench/imports.py
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from pathlib import Path

from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from leaderboard import BUNDLED_DATA, create_app  # noqa: E402

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_c5f04168c3128190.txt"


def figure_4() -> str:
    """The report's 图4 as printed: the caption line, the table, the source line."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("图4:"))
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("资料来源"))
    return "\n".join(lines[start:end + 1]) + "\n"


def main() -> None:
    client = create_app({"DATA_DIR": str(BUNDLED_DATA)}).test_client()
    inputs = {"200 tables of figure 4 (reviewed)": (figure_4() + "\n") * 200,
              "153,846 tables of four cells (refused)": "|a|b|\n|c|d|\n\n" * 153_846}
    for name, text in inputs.items():
        file = FileStorage(io.BytesIO(text.encode()), "tables.md")
        boundary, body = encode_multipart({"file": file})
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            response = client.post("/import", data=body,
                                   content_type=f"multipart/form-data; boundary={boundary}")
            runs.append(time.perf_counter() - started)
        print(f"{name}: {response.status_code}, {len(response.data):,} bytes, "
              f"median {statistics.median(runs):.2f} s (of {', '.join(f'{r:.2f}' for r in runs)})")


if __name__ == "__main__":
    main()
