"""The IAB Tech Lab Content Taxonomy 3.1 (CC BY 3.0) as an immutable tree of categories.

Parsing takes the file's text, not a path, so this module stays free of I/O; the packaged copy is
read by :func:`microscout.services.discovery.discover.load_taxonomy`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ATTRIBUTION = "IAB Tech Lab Content Taxonomy 3.1 (CC BY 3.0)"


@dataclass(frozen=True)
class Category:
    """One category: its id, parent id (None at tier 1), name and the names of its tiers."""

    id: str
    parent: str | None
    name: str
    tiers: tuple[str, ...]

    @property
    def depth(self) -> int:
        return len(self.tiers)

    @property
    def path(self) -> str:
        """``Style & Fashion > Beauty > Skin Care``: the text a zero-shot model reads."""
        return " > ".join(self.tiers)


@dataclass(frozen=True)
class Taxonomy:
    categories: tuple[Category, ...]
    _by_id: dict[str, Category] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id.update({c.id: c for c in self.categories})

    def __len__(self) -> int:
        return len(self.categories)

    def __contains__(self, category_id: object) -> bool:
        return category_id in self._by_id

    def get(self, category_id: str) -> Category:
        return self._by_id[category_id]

    def name(self, category_id: str | None) -> str | None:
        if category_id is None or category_id not in self._by_id:
            return None
        return self._by_id[category_id].name

    def ancestor_at(self, category_id: str, depth: int) -> str:
        """The category's ancestor at ``depth`` (itself when it is that shallow already)."""
        node = self._by_id[category_id]
        while node.depth > depth and node.parent is not None:
            node = self._by_id[node.parent]
        return node.id

    def find(self, label: str) -> Category | None:
        """A category by id or by case-insensitive name (the shallowest one when names repeat)."""
        if label in self._by_id:
            return self._by_id[label]
        wanted = label.strip().casefold()
        matches = [c for c in self.categories if c.name.casefold() == wanted]
        return min(matches, key=lambda c: c.depth) if matches else None

    def up_to_depth(self, depth: int) -> tuple[Category, ...]:
        return tuple(c for c in self.categories if c.depth <= depth)


def parse_taxonomy(text: str) -> Taxonomy:
    """Parse the IAB TSV: a group header line, then ``Unique ID, Parent, Name, Tier 1..4, Ext``."""
    lines = [line for line in text.splitlines() if line.strip()]
    header = next((i for i, line in enumerate(lines) if line.startswith("Unique ID")), None)
    if header is None:
        raise ValueError("not an IAB Content Taxonomy file: no 'Unique ID' header line")
    categories = []
    for line in lines[header + 1 :]:
        cells = [*line.split("\t"), *[""] * 8][:8]
        unique_id, parent, name = (cell.strip() for cell in cells[:3])
        tiers = tuple(cell.strip() for cell in cells[3:7] if cell.strip())
        if not unique_id or not name:
            continue
        categories.append(Category(unique_id, parent or None, name, tiers or (name,)))
    return Taxonomy(tuple(categories))


def parse_keywords(text: str) -> dict[str, str]:
    """Parse microscout's category keywords: ``#`` comment lines, an ``id\tkeywords`` header, then
    one category id and its comma-separated keywords per line."""
    keywords: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#") or line.startswith("id\t"):
            continue
        category_id, sep, words = line.partition("\t")
        if not sep or not words.strip():
            raise ValueError(f"category keywords, line {number}: expected 'id<TAB>keywords'")
        keywords[category_id.strip()] = words.strip()
    return keywords


__all__ = ["ATTRIBUTION", "Category", "Taxonomy", "parse_keywords", "parse_taxonomy"]
