"""Tie printed labels to the model and metric registries: matched, ambiguous or proposed.

Precision over recall: a wrong merge corrupts every page that shows the model, so only these
count as a match:
- a label a grid of the same report already prints (the report's own spelling);
- a label whose normal form (case, spaces, hyphens, an `OpenAI` prefix, dates written as MMDD)
  is the normal form of exactly one registry name or id, or of a label another report prints
  for it that is itself that name written differently.
A label another report prints for a model under another name is only a candidate (`QwQ-32B` is
how one report prints QwQ-32B-Preview; a later table's `QwQ-32B` may be the March 2025 model).
A model label in a table about base models that matches a chat model is a candidate too.
Everything else is proposed as new; `--map LABEL=ID` settles what the importer could not.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from ..data import Dataset

MATCHED, AMBIGUOUS, PROPOSED = "matched", "ambiguous", "proposed"
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ"
# A trailing footnote marker. Linear on any label: a run of marks is tried from its first mark
# only, and a <sup> holds no other.
_FOOTNOTE = re.compile(
    rf"(?:(?<![*†‡§¶])[*†‡§¶]++|\^\d++|<sup>(?:(?!</?sup>).)*+</sup>"
    rf"|(?<![{_SUPERSCRIPTS}])[{_SUPERSCRIPTS}]++)$", re.DOTALL)
_DATE = re.compile(r"\(?\b(?:19|20)\d{2}-(\d{2})-(\d{2})\)?")
_BASE_WORDS = re.compile(r"\bbase\b|基座|基础模型", re.IGNORECASE)


def strip_footnote(label: str) -> str:
    """A label without a trailing footnote marker: 'GPT-4o*' is 'GPT-4o'."""
    return _FOOTNOTE.sub("", label.strip()).strip()


def model_key(label: str) -> str:
    """The normal form of a model name: 'GPT-4o 0513', 'GPT-4o-0513' and 'GPT-4o
    (2024-05-13)' are all 'gpt4o0513'; 'OpenAI o1-1217' is 'o11217'; dots stay (3.1 ≠ 31)."""
    text = unicodedata.normalize("NFKC", strip_footnote(label)).casefold()
    text = _DATE.sub(r" \1\2", text)
    text = re.sub(r"^openai[\s-]+", "", text)
    return re.sub(r"[\s\-_()/,:]+", "", text)


def metric_key(label: str) -> str:
    """The normal form of a metric name: 'GPQA-Diamond (Pass@1)', 'GPQA Diamond (Pass@1)' and
    'GPQA Diamond pass@1' are one; 'LiveCodeBench (Pass@1-COT)' stays apart from
    'LiveCodeBench (Pass@1)'."""
    text = unicodedata.normalize("NFKC", strip_footnote(label)).casefold()
    return re.sub(r"[\s\-_()/,:]+", "", text)


def slugify(label: str) -> str:
    """A registry id for a new entry: lower-case ASCII words joined by hyphens."""
    text = unicodedata.normalize("NFKD", strip_footnote(label)).encode("ascii", "ignore")
    words = re.findall(r"[a-z0-9]+", text.decode().casefold().replace(".", "-"))
    return "-".join(words) or "new"


@dataclass(frozen=True)
class Resolution:
    """How one printed label was resolved."""

    label: str
    status: str  # matched, ambiguous or proposed
    id: str | None  # the registry id (matched), or the id proposed for a new entry
    how: str
    candidates: tuple[str, ...] = ()


@dataclass
class _Index:
    names: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    aliases: dict[str, dict[str, set[str]]] = field(default_factory=lambda: defaultdict(
        lambda: defaultdict(set)))  # exact label -> report -> ids
    where: dict[tuple[str, str], str] = field(default_factory=dict)  # (label, id) -> grid
    words: dict[str, set[tuple[str, ...]]] = field(default_factory=lambda: defaultdict(set))


class Registry:
    """The registries of a data directory as look-up tables for printed labels."""

    def __init__(self, ds: Dataset | None):
        self.ds = ds
        self.models, self.metrics = _Index(), _Index()
        if ds is None:
            return
        for kind, frame, key in (("models", ds.models, model_key), ("metrics", ds.metrics,
                                                                       metric_key)):
            index = getattr(self, kind)
            names = [c for c in ("name", "name_zh") if c in frame.columns]  # either language
            for entry_id in frame.index:
                for name in frame.loc[entry_id, names].dropna():
                    index.names[key(name)].add(entry_id)
                    index.words[entry_id].add(_words(name))
            for grid in ds.grids.values():
                for entry in getattr(grid, kind):
                    index.aliases[entry.label][grid.source.report].add(entry.id)
                    index.words[entry.id].add(_words(entry.label))
                    index.where.setdefault((entry.label, entry.id),
                                           f"{grid.source.label} ({grid.slug})")

    def known(self, kind: str, entry_id: str) -> bool:
        if self.ds is None:
            return False
        return entry_id in (self.ds.models if kind == "models" else self.ds.metrics).index

    def resolve(self, kind: str, label: str, report: str | None = None, base: bool = False,
                mapping: dict[str, str] | None = None) -> Resolution:
        """Resolve one printed label of `kind` (models or metrics)."""
        key = model_key if kind == "models" else metric_key
        label = strip_footnote(label)
        if mapping and label in mapping:
            target = mapping[label]
            status = MATCHED if self.known(kind, target) else PROPOSED
            return Resolution(label, status, target, "given with --map")
        index = getattr(self, kind)
        found = (_by_alias(index, label, report, key) or _by_name(index, label, key)
                 or _by_words(index, label))
        if found is None:
            return Resolution(label, PROPOSED, slugify(label), "new: no registry entry has "
                                                               "this name")
        if (found.status == MATCHED and found.id is not None and base and kind == "models"
                and not _BASE_WORDS.search(found.id)):
            return Resolution(label, AMBIGUOUS, f"{found.id}-base",
                              f"the table is about base models, and {found.id} is not a base "
                              "model: proposed as a new base model; map it (--map) if it is "
                              f"{found.id}", (found.id,))
        return found


def _by_alias(index: _Index, label: str, report: str | None, key) -> Resolution | None:
    """A label a grid already prints: this report's spelling, or another's for the same name."""
    by_report = index.aliases.get(label)
    if not by_report:
        return None
    if report in by_report and len(by_report[report]) == 1:
        (found,) = by_report[report]
        return Resolution(label, MATCHED, found,
                          f"printed so in {index.where[(label, found)]} of this report")
    ids = set().union(*by_report.values())
    if key is metric_key and len(ids) == 1:
        # A metric printed under the same label is the same measure, whoever prints it (a
        # model's name, unlike a benchmark's, is reused for a later model).
        (found,) = ids
        return Resolution(label, MATCHED, found, f"printed so in {index.where[(label, found)]}")
    same_name = {i for i in ids if key(label) in _keys_of(index, i)}
    if len(same_name) == 1:
        (found,) = same_name
        return Resolution(label, MATCHED, found, f"printed so in {index.where[(label, found)]}")
    return Resolution(label, AMBIGUOUS, None,
                      "another report prints this label for " + ", ".join(
                          f"{i} ({index.where[(label, i)]})" for i in sorted(ids))
                      + "; this table may mean another entry", tuple(sorted(ids)))


def _keys_of(index: _Index, entry_id: str) -> set[str]:
    return {k for k, ids in index.names.items() if entry_id in ids}


def _by_name(index: _Index, label: str, key) -> Resolution | None:
    ids = index.names.get(key(label), set())
    if len(ids) == 1:
        (found,) = ids
        return Resolution(label, MATCHED, found, f"the registry name, written differently "
                                                 f"({key(label)})")
    if len(ids) > 1:
        return Resolution(label, AMBIGUOUS, None, "several registry entries have this name",
                          tuple(sorted(ids)))
    return None


class Resolver:
    """Resolve the labels of one import: the same label once, and new entries that are the
    same name written differently (`Llama3.1 405B-Inst.`, `LLaMA-3.1 405B-Inst.`) proposed as
    one entry."""

    def __init__(self, registry: Registry, report: str | None = None,
                 mapping: dict[str, str] | None = None):
        self.registry, self.report, self.mapping = registry, report, mapping or {}
        self._seen: dict[tuple, Resolution] = {}
        self._proposed: dict[tuple[str, str], str] = {}  # (kind, normal form) -> id
        ds = registry.ds
        self._taken = {"models": set() if ds is None else set(ds.models.index),
                       "metrics": set() if ds is None else set(ds.metrics.index)}

    def __call__(self, kind: str, label: str, base: bool = False) -> Resolution:
        key = (kind, label, base)
        if key not in self._seen:
            found = self.registry.resolve(kind, label, self.report, base, self.mapping)
            if found.status in (PROPOSED, AMBIGUOUS) and found.how != "given with --map":
                found = self._propose(kind, found)
            self._seen[key] = found
        return self._seen[key]

    def _propose(self, kind: str, found: Resolution) -> Resolution:
        """A new entry's id, the same for every spelling of one name; an ambiguous label gets
        one too, so no file merges it with a candidate before a person says so."""
        normal = (model_key if kind == "models" else metric_key)(found.label)
        if (kind, normal) not in self._proposed:
            base_id = found.id or slugify(found.label)
            proposed, n = base_id, 2
            while proposed in self._taken[kind]:
                proposed, n = f"{base_id}-{n}", n + 1
            self._taken[kind].add(proposed)
            self._proposed[(kind, normal)] = proposed
        return Resolution(found.label, found.status, self._proposed[(kind, normal)], found.how,
                          found.candidates)

    def apart(self, kind: str, found: Resolution) -> Resolution:
        """A label resolved to an entry another label of the same table already has: a
        candidate only, with an id of its own."""
        assert found.id is not None  # resolved to an entry
        return self._propose(kind, Resolution(
            found.label, AMBIGUOUS, slugify(found.label),
            f"this table prints {found.id} under another label too: map it (--map) if both "
            "are the same", (found.id,)))

    def metric_type(self, resolution: Resolution, texts: list[str]) -> str:
        """A metric's type: the registry's for a known metric, else guessed from its cells."""
        from . import values

        ds = self.registry.ds
        if resolution.status == MATCHED and ds is not None and resolution.id in ds.metrics.index:
            return ds.metrics.at[resolution.id, "type"]
        return values.kind_of(texts)

    def bracket_label(self, metric: str) -> str:
        """The label of the bracketed second figure of a row (`训练时长（2048 张 H800）`): the one
        a grid of this report already gives such a figure, else '<row> (bracketed)'."""
        known = [label for label, by_report in self.registry.metrics.aliases.items()
                 if label.startswith(f"{metric} (") and (self.report in by_report)]
        return known[0] if len(known) == 1 else f"{metric} (bracketed)"


def _words(label: str) -> tuple[str, ...]:
    text = unicodedata.normalize("NFKC", strip_footnote(label)).casefold()
    text = _DATE.sub(r" \1\2", re.sub(r"^openai[\s-]+", "", text))
    return tuple(sorted(w for w in re.split(r"[\s\-_()/,:]+", text) if w))


def _by_words(index: _Index, label: str) -> Resolution | None:
    """The same words in another order ('Claude-Sonnet-3.5-1022'): a candidate, never a match."""
    words = _words(label)
    ids = sorted(i for i, forms in index.words.items() if words in forms)
    if not ids or len(words) < 2:
        return None
    return Resolution(label, AMBIGUOUS, None, "the same words as " + ", ".join(ids)
                      + " in another order: map it (--map) if it is the same", tuple(ids))
