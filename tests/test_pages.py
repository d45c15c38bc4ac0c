"""The pages on the bundled data: order, ranks, best marks, filters, diffs, conflicts."""

import pytest
from conftest import grid_rows, printed, soup


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.get_data(as_text=True)[:500])
    assert response.content_type.startswith("text/html")
    return soup(response)


def labels(page):
    return [label for _, label, _ in grid_rows(page)]


def header_label(link):
    """A header link's label, without its sort cue and spoken sort action."""
    return "".join(s for s in link.find_all(string=True)
                   if not s.find_parent(class_=["sr", "sort-cue"])).strip()


def column(page, index):
    return [printed(cells[index]) for _, _, cells in grid_rows(page)]


def test_index_lists_every_grid(client):
    page = get(client, "/")
    cards = page.select(".card")
    assert len(cards) == 17  # the report's 7, DeepSeek's READMEs' 7 and paper's 3
    assert "图5: DeepSeek-R1 与其他代表性模型在各个维度性能上的对比" in page.get_text()
    assert "6 models × 21 metrics" in page.get_text()


def test_index_search(client):
    page = get(client, "/?q=o1-mini")
    assert [a["href"] for a in page.select(".card h2 a")] == [
        "/grids/r1-distilled", "/grids/r1-vs-frontier", "/grids/r1-readme-main",
        "/grids/r1-readme-distilled", "/grids/r1-paper-table-4", "/grids/r1-paper-table-5"]
    assert "No grid matches" in get(client, "/?q=zzzz").get_text()


def test_grid_in_report_order_with_bands_and_units(client):
    page = get(client, "/grids/r1-vs-frontier")
    assert labels(page) == ["Claude-3.5-Sonnet-1022", "GPT-4o 0513", "DeepSeek V3",
                            "OpenAI o1-mini", "OpenAI o1-1217", "DeepSeek R1"]
    bands = [(th.get_text(strip=True), th["colspan"]) for th in page.select("tr.bands th")]
    assert bands == [("English", "10"), ("Code", "5"), ("Math", "3"), ("Chinese", "3")]
    headers = page.select("thead tr:not(.bands) th.num")
    assert header_label(headers[12].select_one("a")) == "Codeforces (Rating)"
    assert headers[12].select_one(".unit").get_text(strip=True) == "Elo rating"
    assert page.select_one("td.rank") is None  # no rank column until sorted by a ranked metric
    caption = " ".join(page.select_one("figcaption").get_text().split())
    assert caption == ("图5, p. 7, 中国银河证券研究院《DeepSeek：技术颠覆 or 创新共赢》(2025-02-03)"
                       " · 资料来源: DeepSeek 官网, 中国银河证券研究院")


def test_sort_by_metric_best_first_with_ranks(client):
    page = get(client, "/grids/r1-vs-frontier?sort=aime-2024-pass1")
    rows = grid_rows(page)
    assert [(r, label) for r, label, _ in rows] == [
        ("1", "DeepSeek R1"), ("2", "OpenAI o1-1217"), ("3", "OpenAI o1-mini"),
        ("4", "DeepSeek V3"), ("5", "Claude-3.5-Sonnet-1022"), ("6", "GPT-4o 0513"),
    ]
    sorted_th = page.select("th[aria-sort]")
    assert len(sorted_th) == 1 and sorted_th[0]["aria-sort"] == "descending"
    assert "AIME 2024 (Pass@1)" in sorted_th[0].get_text()
    # Clicking the header again flips the order: the link says so.
    # Its fragment names the header, where the sorted page puts the focus back.
    assert sorted_th[0].a["href"] == (
        "/grids/r1-vs-frontier?sort=aime-2024-pass1&order=asc#sort-aime-2024-pass1")
    assert sorted_th[0].a["id"] == "sort-aime-2024-pass1"


def test_header_links_are_plain_links_that_keep_the_state(client):
    page = get(client, "/grids/r1-distilled?baseline=o1-mini&q=Qwen")
    link = page.select("thead th.num a")[0]["href"]
    assert link == ("/grids/r1-distilled?baseline=o1-mini&q=Qwen&sort=aime-2024-pass1&order=desc"
                    "#sort-aime-2024-pass1")


@pytest.mark.parametrize("order", ["asc", "desc"])
def test_missing_values_sort_last_both_ways(client, order):
    page = get(client, f"/grids/r1-vs-frontier?sort=mmlu-redux-em&order={order}")
    rows = grid_rows(page)
    assert rows[-1][1] == "OpenAI o1-1217"
    assert rows[-1][0] == "—"
    values = [float(v) for v in column(page, 1)[:-1]]
    assert values == sorted(values, reverse=order == "desc")
    missing = rows[-1][2][1]
    assert missing.get_text(strip=True) == "—"
    assert missing["title"].startswith("not reported in 图5, p. 7")


def test_ties_share_a_rank(client):
    page = get(client, "/grids/r1-distilled?sort=aime-2024-cons64")
    got = [(r, label, printed(cells[1])) for r, label, cells in grid_rows(page)]
    assert got == [
        ("1", "DeepSeek-R1-Distill-Llama-70B", "86.7"),
        ("2", "DeepSeek-R1-Distill-Qwen-7B", "83.3"),
        ("2", "DeepSeek-R1-Distill-Qwen-32B", "83.3"),
        ("4", "o1-mini", "80.0"),
        ("4", "DeepSeek-R1-Distill-Qwen-14B", "80.0"),
        ("4", "DeepSeek-R1-Distill-Llama-8B", "80.0"),
        ("7", "QwQ-32B", "60.0"),
        ("8", "DeepSeek-R1-Distill-Qwen-1.5B", "52.7"),
        ("9", "Claude-3.5-Sonnet-1022", "26.7"),
        ("10", "GPT-4o-0513", "13.4"),
    ]


def test_multi_key_sort_breaks_ties(client):
    page = get(client, "/grids/r1-distilled?sort=aime-2024-cons64,-math-500-pass1")
    assert labels(page)[1:6] == [
        "DeepSeek-R1-Distill-Qwen-32B", "DeepSeek-R1-Distill-Qwen-7B",   # 83.3: 94.3 > 92.8
        "DeepSeek-R1-Distill-Qwen-14B", "o1-mini", "DeepSeek-R1-Distill-Llama-8B",  # 80.0
    ]


def test_lower_is_better_ranks_the_cheapest_first(client):
    page = get(client, "/grids/cost-and-scale?sort=api-input-price")
    rows = grid_rows(page)
    assert [(r, label) for r, label, _ in rows] == [
        ("1", "DeepSeekV3"), ("2", "DeepSeekR1"), ("3", "GPT-4"), ("—", "Llama3.1405B"),
    ]


def test_sort_by_model_name(client):
    page = get(client, "/grids/on-device-llms?sort=model")
    assert labels(page) == ["Apple OpenELM", "Google Gemini Nano", "Honor MagicLM",
                            "OPPO AndesGPT", "VIVO BlueLM", "XiaoMi MiLM"]
    assert page.select_one("th.model")["aria-sort"] == "ascending"


def test_best_per_metric_and_report_bold(client):
    page = get(client, "/grids/r1-vs-frontier")
    rows = {label: cells for _, label, cells in grid_rows(page)}
    mmlu = rows["OpenAI o1-1217"][0]
    assert "best" in mmlu["class"] and mmlu.strong.get_text() == "91.8"
    assert "best" not in rows["DeepSeek R1"][0]["class"]
    # In 图5 the report's bold agrees with the computed best everywhere.
    assert page.select(".mismatch-mark") == page.select(".legend .mismatch-mark")
    assert len(page.select("tbody td.best")) == 21


def test_best_follows_the_direction(client):
    page = get(client, "/grids/cost-and-scale")
    rows = {label: cells for _, label, cells in grid_rows(page)}
    price = 7  # api-input-price column
    assert "best" in rows["DeepSeekV3"][price]["class"]
    assert "best" not in rows["GPT-4"][price]["class"]
    release = 0  # release date is not ranked: no best
    assert not any("best" in cells[release]["class"] for cells in rows.values())


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=llama", ["DeepSeek-R1-Distill-Llama-8B", "DeepSeek-R1-Distill-Llama-70B"]),
        ("q=ANTHROPIC", ["Claude-3.5-Sonnet-1022"]),
        ("open=no", ["GPT-4o-0513", "Claude-3.5-Sonnet-1022", "o1-mini"]),
        ("open=yes&distilled=no", ["QwQ-32B"]),
        ("distilled=yes&max_params=8B", ["DeepSeek-R1-Distill-Qwen-1.5B", "DeepSeek-R1-Distill-Qwen-7B",
                                          "DeepSeek-R1-Distill-Llama-8B"]),
        ("min_params=10&max_params=40", ["QwQ-32B", "DeepSeek-R1-Distill-Qwen-14B",
                                         "DeepSeek-R1-Distill-Qwen-32B"]),
    ],
)
def test_filters(client, query, expected):
    page = get(client, f"/grids/r1-distilled?{query}")
    assert labels(page) == expected
    assert f"{len(expected)} of 10 models" in page.select_one(".count").get_text()


def test_column_choice(client):
    page = get(client, "/grids/r1-vs-frontier?metrics=codeforces-rating,aime-2024-pass1")
    headers = [header_label(th.a) for th in page.select("thead tr:not(.bands) th.num")]
    assert headers == ["Codeforces (Rating)", "AIME 2024 (Pass@1)"]
    rows = grid_rows(page)
    assert len(rows) == 6 and all(len(cells) == 2 for _, _, cells in rows)


def test_column_choice_from_checkboxes(client):
    page = get(client, "/grids/r1-vs-frontier?metrics=mmlu-pass1&metrics=c-eval-em")
    headers = [header_label(th.a) for th in page.select("thead tr:not(.bands) th.num")]
    assert headers == ["MMLU (Pass@1)", "C-Eval (EM)"]


def test_baseline_diffs_sign_percent_and_direction(client):
    page = get(client, "/grids/r1-distilled?baseline=o1-mini")
    rows = {label: cells for _, label, cells in grid_rows(page)}
    diff = rows["DeepSeek-R1-Distill-Qwen-32B"][0].select_one(".diff")
    assert "better" in diff["class"]
    assert diff.get_text(" ", strip=True) == "✓ better: +9.0 (+14.2%)"  # 72.6 − 63.6, as printed: one decimal
    worse = rows["GPT-4o-0513"][0].select_one(".diff")
    assert "worse" in worse["class"] and "−54.3 (−85.4%)" in worse.get_text()
    level = rows["DeepSeek-R1-Distill-Qwen-14B"][1].select_one(".diff")  # cons@64 80.0 = 80.0
    assert "level" in level["class"] and "±0" in level.get_text()
    assert rows["o1-mini"][0].select_one(".diff") is None  # the baseline itself
    summary = page.select("td.summary")
    texts = {label: td.get_text(" ", strip=True) for (_, label, _), td in zip(grid_rows(page), summary, strict=True)}
    assert texts["DeepSeek-R1-Distill-Llama-70B"] == "5 better · 1 worse · 0 level"  # CF rating 1633 < 1820
    assert texts["GPT-4o-0513"] == "0 better · 6 worse · 0 level"


def test_baseline_diff_where_lower_is_better(client):
    page = get(client, "/grids/cost-and-scale?baseline=gpt-4")
    rows = {label: cells for _, label, cells in grid_rows(page)}
    diff = rows["DeepSeekV3"][7].select_one(".diff")  # input price 0.14 vs 30
    assert "better" in diff["class"]
    assert "−29.86 (−99.5%)" in diff.get_text()


def test_average_says_what_it_covers(client):
    page = get(client, "/grids/r1-vs-frontier?average=yes&sort=aime-2024-pass1")
    rows = {label: cells for _, label, cells in grid_rows(page)}
    assert rows["OpenAI o1-1217"][0].select_one("small").get_text() == "11 of 21"
    assert rows["DeepSeek R1"][0].select_one("small").get_text() == "21 of 21"


def test_cells_carry_provenance(client):
    page = get(client, "/grids/r1-distilled")
    cell = grid_rows(page)[0][2][0]
    assert cell["title"] == ("图4, p. 6, 中国银河证券研究院《DeepSeek：技术颠覆 or 创新共赢》(2025-02-03)"
                             " · 资料来源: DeepSeek 官网, 中国银河证券研究院")


def test_text_figures_show_their_own_page(client):
    page = get(client, "/grids/text-figures")
    rows = {label: cells for _, label, cells in grid_rows(page)}
    assert rows["DeepSeek V3"][7]["title"].startswith("正文, p. 8")


def test_conflicts_are_visible_on_the_grid(client):
    page = get(client, "/grids/cost-and-scale")
    rows = {label: cells for _, label, cells in grid_rows(page)}
    cell = rows["DeepSeekR1"][8]  # API output price
    mark = cell.select_one(".conflict-mark")
    assert mark is not None
    assert "3.29" in mark["title"] and "2.19 美元 (正文, p. 11)" in mark["title"]
    assert mark["href"] == "/metrics/api-output-price"


def test_notes_are_listed_under_the_table(client):
    text = get(client, "/grids/cost-and-scale").select_one(".notes").get_text()
    assert "converted to USD per 1M tokens" in text


def test_model_page(client):
    page = get(client, "/models/deepseek-r1-distill-qwen-32b")
    text = page.get_text(" ", strip=True)
    assert "Qwen2.5-32B" in text
    assert page.select_one('a[href="/models/deepseek-r1"]') is not None
    rows = page.select("table.list tbody tr")
    assert len(rows) == 5 + 1  # 6 metrics of 图4 under 5 benchmarks (AIME twice)
    benchmark = page.select("table.list tbody th[scope=rowgroup]")
    assert [b.get_text(strip=True) for b in benchmark][:2] == ["GPQA Diamond", "LiveCodeBench"]


def test_model_page_shows_its_conflicts_and_places(client):
    page = get(client, "/models/deepseek-r1")
    text = page.get_text(" ", strip=True)
    assert "DeepSeek R1" in text and "DeepSeekR1" in text  # printed labels
    conflict = [s for s in page.select("span.conflict") if "3.29" in s.get_text()]
    assert conflict and "2.19 美元" in conflict[0].get_text()
    aime = next(tr for tr in page.select("tbody tr") if "AIME 2024 (pass@1)" in tr.get_text())
    assert "图5, p. 7" in aime.get_text() and "正文, p. 5" in aime.get_text()


def test_metric_page_merges_grids(client):
    page = get(client, "/metrics/aime-2024-pass1")
    rows = page.select("table.list tbody tr")
    names = [tr.th.get_text(strip=True) for tr in rows]
    # 10 of 图4 + V3, o1-1217, R1 of 图5; DeepSeek-R1-Zero-Qwen-32B (paper, Table 6); V3-Base, V2
    # and Qwen2.5 72B base models, LLaMA3.1 405B (V3 README, base models)
    assert len(names) == len(set(names)) == 18
    assert names[:3] == ["DeepSeek-R1", "OpenAI o1 (2024-12-17)", "DeepSeek-R1-Distill-Qwen-32B"]
    gpt4o = next(tr for tr in rows if tr.th.get_text(strip=True) == "GPT-4o (2024-05-13)")
    assert "图4, p. 6" in gpt4o.get_text() and "图5, p. 7" in gpt4o.get_text()
    assert gpt4o.select_one("span.conflict") is None


def test_metric_page_shows_disagreements_side_by_side(client):
    page = get(client, "/metrics/api-output-price")
    r1 = next(tr for tr in page.select("tbody tr") if "DeepSeek-R1" in tr.th.get_text())
    places = [" ".join(p.get_text().split()) for p in r1.select(".place")]
    assert places == ["2.19 美元 正文, p. 11", "输出端：3.29 美元/百万 token 表4, p. 27"]


def test_compare_page(client):
    page = get(client, "/compare?models=deepseek-r1,openai-o1-1217")
    shared = page.select("table.grid")[0].select("tbody tr")
    assert len(shared) == 11  # o1-1217 has 11 of 图5's 21 metrics
    summary = page.select(".summary-table tbody tr")[1].get_text(" ", strip=True)
    assert summary.startswith("OpenAI o1 (2024-12-17)")
    apart = page.select("table.grid")[1].get_text(" ", strip=True)
    assert "MMLU-Redux (EM)" in apart and "API output price" in apart


def test_compare_counts_wins_losses_ties(client):
    page = get(client, "/compare?models=o1-mini,deepseek-r1-distill-qwen-32b,gpt-4o-0513")
    cells = [[td.get_text(strip=True) for td in tr.select("td")] for tr in page.select(".summary-table tbody tr")]
    assert cells[1] == ["5", "1", "0"]  # Qwen-32B vs o1-mini: loses only Codeforces rating
    assert cells[2] == ["0", "6", "0"]  # GPT-4o vs o1-mini: worse on all six of 图4


def test_bold_that_disagrees_with_the_best_is_marked(data_copy):
    from leaderboard import create_app

    grid = data_copy / "grids/r1-vs-frontier.csv"
    text = grid.read_text(encoding="utf-8")
    # The report bolds o1-1217's 91.8 on MMLU; move the bold to R1's 90.8, which is not the best.
    text = text.replace("OpenAI o1-1217,MMLU (Pass@1),91.8,91.8,true", "OpenAI o1-1217,MMLU (Pass@1),91.8,91.8,")
    text = text.replace("DeepSeek R1,MMLU (Pass@1),90.8,90.8,", "DeepSeek R1,MMLU (Pass@1),90.8,90.8,true")
    grid.write_text(text, encoding="utf-8")
    client = create_app({"DATA_DIR": str(data_copy)}).test_client()
    page = get(client, "/grids/r1-vs-frontier")
    rows = {label: cells for _, label, cells in grid_rows(page)}
    r1, o1 = rows["DeepSeek R1"][0], rows["OpenAI o1-1217"][0]
    assert r1.strong.get_text() == "90.8" and "best" not in r1["class"]
    assert "not the best" in r1.select_one(".mismatch-mark")["title"]
    assert "best" in o1["class"] and o1.strong is None
    assert "the report bolds another" in o1.select_one(".mismatch-mark")["title"]
    assert len(page.select("tbody .mismatch-mark")) == 2


@pytest.mark.parametrize("extra", ["", "&baseline=first", "&average=yes",
                                   "&baseline=first&average=yes",
                                   "&sort=average&baseline=first"])
def test_no_match_row_spans_the_whole_table(client, dataset, extra):
    """"No model matches" spans every column: rank, model, vs baseline, averages and metrics."""
    for slug, grid in dataset.grids.items():
        query = extra.replace("first", grid.models[0].id)
        page = soup(client.get(f"/grids/{slug}?q=no-such-model-anywhere{query}"))
        header = page.select("table.grid thead tr:not(.bands) th")
        (only,) = page.select("table.grid tbody td")
        assert "No model matches" in only.get_text() and int(only["colspan"]) == len(header), slug
