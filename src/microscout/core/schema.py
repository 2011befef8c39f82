"""The canonical data model of the warehouse, declared once.

Every importer normalises its source to these tables; unknown values are NULL, never 0. Types are
Ibis type strings so the same declaration serves DuckDB, Spark and the Arrow tables importers build.
``docs/schema.md`` is generated from this module (a test keeps it in sync).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

PLATFORMS = ("instagram", "tiktok", "youtube", "other")

# Values that are shares of 1 and read as percentages wherever they are shown (the CLI and the
# pages); every other number is a count, an amount or a plain ratio.
PERCENT_COLUMNS = frozenset(
    {
        "er_median",
        "er_mean",
        "er_ci_low",
        "er_ci_high",
        "erv_median",
        "reach_rate",
        "share_rate",
        "reply_rate",
        "growth_30d",
        "growth_90d",
        "sponsored_er_median",
        "organic_er_median",
        "fake_follower_share",
        "fake_follower_ci_low",
        "fake_follower_ci_high",
        "niche_focus",
        "engagement_cv_pct",
    }
)

# How each declared type is held in Arrow tables (importers, the demo, tests).
ARROW_TYPES = {
    "string": pa.string(),
    "int64": pa.int64(),
    "float64": pa.float64(),
    "boolean": pa.bool_(),
    "timestamp": pa.timestamp("us"),
    "date": pa.date32(),
    "array<string>": pa.list_(pa.string()),
}


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str  # an Ibis type string: string, int64, float64, boolean, timestamp, date
    doc: str


@dataclass(frozen=True)
class TableSpec:
    name: str
    doc: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)


def _c(name: str, dtype: str, doc: str) -> Column:
    return Column(name, dtype, doc)


_SOURCE = (
    _c("source", "string", "Where the row came from: importer format and file name, or 'demo'."),
    _c("fetched_at", "timestamp", "When the source observed these values (UTC); newer wins."),
)

CREATORS = TableSpec(
    "creators",
    "One row per creator account on one platform.",
    (
        _c("platform", "string", "instagram | tiktok | youtube | other."),
        _c("creator_id", "string", "The platform's stable account id (or the handle if none)."),
        _c("handle", "string", "The @handle, without '@', lower-case."),
        _c("display_name", "string", "Name shown on the profile."),
        _c("bio", "string", "Profile biography text."),
        _c("followers", "int64", "Followers (subscribers on YouTube) at fetched_at."),
        _c("following", "int64", "Accounts this creator follows."),
        _c("posts_count", "int64", "Posts on the profile (all time), as the platform reports it."),
        _c("country", "string", "ISO 3166-1 alpha-2 country code."),
        _c("language", "string", "ISO 639-1 language code of most content."),
        _c("is_verified", "boolean", "Platform verification badge."),
        _c("is_business", "boolean", "Business / creator account."),
        _c("contact_email", "string", "Public contact e-mail."),
        _c("website", "string", "Link in bio."),
        _c("niches", "string", "IAB Content Taxonomy 3.1 ids, '|'-joined, most likely first."),
        _c("source_category", "string", "The source's own category label (e.g. Kim's 'fashion')."),
        *_SOURCE,
    ),
    key=("platform", "creator_id"),
)

POSTS = TableSpec(
    "posts",
    "One row per post, video or reel.",
    (
        _c("platform", "string", "Platform of the post."),
        _c("post_id", "string", "The platform's post id."),
        _c("creator_id", "string", "Owner (joins creators on platform, creator_id)."),
        _c("posted_at", "timestamp", "Publication time (UTC)."),
        _c("media_type", "string", "image | carousel | video | reel | short | story | other."),
        _c("caption", "string", "Caption or video title."),
        _c("hashtags", "string", "Hashtags without '#', lower-case, '|'-joined."),
        _c("mentions", "string", "Mentioned or tagged handles, '|'-joined."),
        _c("likes", "int64", "Likes; NULL when hidden or unknown."),
        _c("comments", "int64", "Comments count."),
        _c("shares", "int64", "Shares / reposts."),
        _c("saves", "int64", "Saves / bookmarks."),
        _c("views", "int64", "Video views / plays."),
        _c("reach", "int64", "Unique accounts reached (only when the owner shared insights)."),
        _c("is_sponsored", "boolean", "Paid partnership or sponsor tag present."),
        _c("sponsors", "string", "Sponsor / brand handles, '|'-joined."),
        _c("permalink", "string", "Public URL of the post."),
        *_SOURCE,
    ),
    key=("platform", "post_id"),
)

COMMENTS = TableSpec(
    "comments",
    "A sample of comments (or, for sources with no text, of commenters) per post.",
    (
        _c("platform", "string", "Platform of the post."),
        _c("comment_id", "string", "Comment id (synthesised as post_id:author when absent)."),
        _c("post_id", "string", "Post commented on."),
        _c("creator_id", "string", "Owner of the post."),
        _c("author", "string", "Commenter handle."),
        _c("text", "string", "Comment text; NULL when the source only lists commenters."),
        _c("posted_at", "timestamp", "Time of the comment."),
        _c("likes", "int64", "Likes on the comment."),
        _c("is_reply_by_creator", "boolean", "True when the post's creator wrote it (a reply)."),
        *_SOURCE,
    ),
    key=("platform", "comment_id"),
)

FOLLOWER_SNAPSHOTS = TableSpec(
    "follower_snapshots",
    "Follower counts observed over time.",
    (
        _c("platform", "string", "Platform."),
        _c("creator_id", "string", "Creator."),
        _c("snapshot_date", "date", "Day of the observation."),
        _c("followers", "int64", "Followers that day."),
        _c("following", "int64", "Following that day."),
        *_SOURCE,
    ),
    key=("platform", "creator_id", "snapshot_date"),
)

AUDIENCE_SAMPLES = TableSpec(
    "audience_samples",
    "Sampled followers of a creator with their own public profile counts.",
    (
        _c("platform", "string", "Platform."),
        _c("creator_id", "string", "The creator followed."),
        _c("follower_id", "string", "The follower's account id or handle."),
        _c("follower_handle", "string", "The follower's handle."),
        _c("followers", "int64", "The follower's own followers."),
        _c("following", "int64", "How many accounts the follower follows."),
        _c("posts", "int64", "The follower's posts."),
        _c("has_picture", "boolean", "Has a profile picture."),
        _c("is_private", "boolean", "Private account."),
        _c("bio_length", "int64", "Characters in the follower's bio."),
        *_SOURCE,
    ),
    key=("platform", "creator_id", "follower_id"),
)

CANONICAL = (CREATORS, POSTS, COMMENTS, FOLLOWER_SNAPSHOTS, AUDIENCE_SAMPLES)

QUARANTINE = TableSpec(
    "quarantine",
    "Rows an import could not use, kept whole with the reason.",
    (
        _c("import_id", "string", "The import that rejected the row."),
        _c("source_file", "string", "File path as given."),
        _c("line", "int64", "Line (CSV/JSONL) or row number (Parquet) in the file."),
        _c("column_name", "string", "Column at fault, when one is."),
        _c("reason", "string", "Why the row was rejected."),
        _c("target_table", "string", "Canonical table the row was meant for."),
        _c("raw", "string", "The row as read, JSON-encoded."),
        _c("rejected_at", "timestamp", "When."),
    ),
    key=("source_file", "line", "target_table"),
)

IMPORTS = TableSpec(
    "imports",
    "One row per import run: what was read and what it did.",
    (
        _c("import_id", "string", "Id of the run."),
        _c("source_file", "string", "File or folder imported."),
        _c("format", "string", "Format used."),
        _c("sha256", "string", "Digest of the file(s) read."),
        _c("started_at", "timestamp", "Start time."),
        _c("inserted", "int64", "New rows across canonical tables."),
        _c("updated", "int64", "Existing rows changed by a newer snapshot."),
        _c("unchanged", "int64", "Rows already present with the same values."),
        _c("rejected", "int64", "Rows sent to quarantine."),
    ),
    key=("import_id",),
)

SCORE_RUNS = TableSpec(
    "score_runs",
    "One row per scoring run, with the settings it used.",
    (
        _c("run_id", "string", "Id of the run."),
        _c("started_at", "timestamp", "Start time."),
        _c("seconds", "float64", "Duration."),
        _c("as_of", "timestamp", "Fixed anchor date, or NULL for each creator's latest post."),
        _c("settings", "string", "JSON of the settings that shape the metrics."),
        _c("creators", "int64", "Creators scored."),
    ),
    key=("run_id",),
)

DEMO_GROUND_TRUTH = TableSpec(
    "demo_ground_truth",
    "What the demo generator planted, for evaluating discovery and vetting.",
    (
        _c("platform", "string", "Platform."),
        _c("creator_id", "string", "Creator."),
        _c("niche", "string", "IAB id of the creator's niche."),
        _c("niche_name", "string", "Name of that niche."),
        _c(
            "problems",
            "string",
            "Planted problems, '|'-joined: bought_followers, fake_audience, "
            "engagement_pod, inactive, low_reach; empty when clean.",
        ),
        _c("pod_id", "int64", "Engagement pod the creator belongs to, if any."),
        _c("fake_share", "float64", "Share of the audience sample generated fake."),
    ),
    key=("platform", "creator_id"),
)

# Filled after the SQL metrics by later scoring stages (authenticity, niches, pricing); each
# stage documents its own columns and says in its *_reasons column why a value is missing.
ENRICHED_SCORES = (
    _c(
        "audience_quality",
        "float64",
        "Audience quality 0-100 (docs/authenticity.md); NULL when not vetted.",
    ),
    _c(
        "audience_quality_reasons",
        "string",
        "JSON list of what raised or lowered it, with evidence.",
    ),
    _c(
        "fake_follower_share",
        "float64",
        "Estimated share of fake followers in the audience sample.",
    ),
    _c("fake_follower_ci_low", "float64", "Lower bound of its confidence interval."),
    _c("fake_follower_ci_high", "float64", "Upper bound of its confidence interval."),
    _c("audience_sample_n", "int64", "Followers in the audience sample behind it."),
    _c(
        "authenticity_verdict",
        "string",
        "ok, caution, high risk, or not vetted (no signal could be checked).",
    ),
    _c("authenticity_unavailable", "string", "Signals that could not be computed, and why."),
    _c("niche_primary", "string", "IAB id of the creator's main niche."),
    _c("niche_focus", "float64", "1 - normalised entropy of the per-post niche distribution."),
    _c("niche_posts_n", "int64", "Posts behind niche_focus."),
    _c("fee_per_post", "float64", "Estimated fee per post (docs/pricing.md)."),
    _c("fee_basis", "string", "How fee_per_post was set: model or a quote."),
    _c("cpe", "float64", "fee_per_post / expected engagements per post."),
    _c("cpm", "float64", "fee_per_post / expected reach per post x 1000."),
)

CREATOR_SCORES = TableSpec(
    "creator_scores",
    "Computed: one row per creator from the latest scoring run. Formulas: docs/metrics.md.",
    (
        _c("platform", "string", "Platform."),
        _c("creator_id", "string", "Creator."),
        _c("handle", "string", "Handle."),
        _c("followers", "int64", "Followers used as the denominator."),
        _c("tier", "string", "nano | micro | mid | macro | mega by followers (NULL if unknown)."),
        _c("anchor_at", "timestamp", "End of the engagement window (as_of, or the latest post)."),
        _c("window_start", "timestamp", "Start of the window: anchor_at - window_days."),
        _c("n_posts_window", "int64", "Posts in the window after the latest-N cap."),
        _c("er_median", "float64", "Median engagement rate by followers over window posts."),
        _c("er_mean", "float64", "Mean engagement rate by followers over window posts."),
        _c("er_ci_low", "float64", "Lower bound of the order-statistic CI of er_median."),
        _c("er_ci_high", "float64", "Upper bound of the order-statistic CI of er_median."),
        _c("er_n", "int64", "Posts behind er_median (likes visible, followers > 0)."),
        _c("erv_median", "float64", "Median engagement rate by views."),
        _c("erv_n", "int64", "Posts behind erv_median (views > 0)."),
        _c("reach_rate", "float64", "Median of (reach, else views) / followers."),
        _c("reach_n", "int64", "Posts behind reach_rate."),
        _c("passes_reach_gate", "boolean", "reach_rate >= the reach_gate setting."),
        _c("comment_like_ratio", "float64", "Sum of comments / sum of likes over window posts."),
        _c("share_rate", "float64", "Sum of shares / sum of views over window posts."),
        _c("reply_rate", "float64", "Creator replies / audience comments in the comment sample."),
        _c("reply_n", "int64", "Audience comments in the sample on window posts."),
        _c("posts_per_week", "float64", "Posts in the window_days before anchor_at per week."),
        _c(
            "days_since_last_post",
            "float64",
            "Days from the creator's latest post to the "
            "reference date (as_of, or the newest post in the data).",
        ),
        _c("engagement_cv", "float64", "Coefficient of variation of per-post engagement rates."),
        _c(
            "growth_30d",
            "float64",
            "Relative follower change over the 30 days to the last snapshot.",
        ),
        _c("growth_90d", "float64", "Relative follower change over 90 days."),
        _c("snapshots_n", "int64", "Follower snapshots used."),
        _c("spike_flag", "boolean", "A follower gain far above the creator's norm was seen."),
        _c("spike_gain", "int64", "Largest gain between consecutive snapshots, per 7 days."),
        _c("spike_date", "date", "Snapshot date that ends the largest gain."),
        _c("spike_ratio", "float64", "Largest weekly gain / the creator's typical weekly gain."),
        _c("sponsored_er_median", "float64", "Median engagement rate of sponsored window posts."),
        _c("sponsored_n", "int64", "Sponsored posts behind it."),
        _c("organic_er_median", "float64", "Median engagement rate of organic window posts."),
        _c("organic_n", "int64", "Organic posts behind it."),
        _c("sponsored_vs_organic", "float64", "sponsored_er_median / organic_er_median."),
        _c(
            "null_reasons",
            "array<string>",
            "Why each NULL metric is NULL: a list of 'metric: why'.",
        ),
        _c("run_id", "string", "Scoring run that wrote the row."),
        *ENRICHED_SCORES,
    ),
    key=("platform", "creator_id"),
)

CREATOR_NICHES = TableSpec(
    "creator_niches",
    "Computed: each creator's niche mix (IAB Content Taxonomy 3.1 ids), from the niche stage.",
    (
        _c("platform", "string", "Platform."),
        _c("creator_id", "string", "Creator."),
        _c("niche_id", "string", "IAB Content Taxonomy 3.1 id."),
        _c("niche_name", "string", "Its IAB name."),
        _c("share", "float64", "Mean share of the creator's matched posts on this niche."),
        _c("rank", "int64", "1 for the creator's primary niche, then 2, 3, ..."),
        _c("posts_n", "int64", "Posts with at least one matched term behind the mix."),
        _c("method", "string", "zero-shot (term lexicon) or supervised (trained model id)."),
        _c("run_id", "string", "Scoring run that wrote the row."),
    ),
    key=("platform", "creator_id", "niche_id"),
)

NICHE_TERMS = TableSpec(
    "niche_terms",
    "Computed: the zero-shot lexicon mapping frequent hashtags and caption words to IAB niches.",
    (
        _c("term", "string", "A lower-case hashtag or caption word."),
        _c("niche_id", "string", "The IAB id it maps to."),
        _c("similarity", "float64", "Cosine between the term and the niche's IAB path."),
        _c("creators_n", "int64", "Creators who used the term."),
        _c("model_id", "string", "Text model that embedded both."),
    ),
    key=("term",),
)

CREATOR_DOCUMENTS = TableSpec(
    "creator_documents",
    "Bookkeeping of the vector index: the text embedded per creator and when.",
    (
        _c("platform", "string", "Platform."),
        _c("creator_id", "string", "Creator."),
        _c("document", "string", "Bio + top hashtags + latest captions, as embedded."),
        _c("doc_hash", "string", "SHA-256 prefix of the document; a change triggers re-embedding."),
        _c("model_id", "string", "Text model and weights digest."),
        _c("embedded_at", "timestamp", "When the index last took this document."),
    ),
    key=("platform", "creator_id"),
)

POST_TERMS = TableSpec(
    "post_terms",
    "Bookkeeping of the niche stage: the distinct terms of each creator's latest posts, split "
    "once and kept while the post stays among them with the same text.",
    (
        _c("platform", "string", "Platform."),
        _c("post_id", "string", "Post."),
        _c("term", "string", "A lower-case hashtag or caption word of 3 characters or more."),
        _c("text_hash", "string", "Hash of the caption and hashtags the terms were split from."),
        _c("creator_id", "string", "The post's creator."),
    ),
    key=("platform", "post_id", "term"),
)

ALL_TABLES = (
    *CANONICAL,
    CREATOR_SCORES,
    QUARANTINE,
    IMPORTS,
    SCORE_RUNS,
    DEMO_GROUND_TRUTH,
    CREATOR_NICHES,
    NICHE_TERMS,
    CREATOR_DOCUMENTS,
    POST_TERMS,
)


def arrow_schema(table: TableSpec) -> pa.Schema:
    """The Arrow schema of a table: its columns, in order, with their Arrow types."""
    return pa.schema([pa.field(c.name, ARROW_TYPES[c.dtype]) for c in table.columns])


def spec(name: str) -> TableSpec:
    for table in ALL_TABLES:
        if table.name == name:
            return table
    raise KeyError(name)


def schema_markdown() -> str:
    """The schema reference, generated from the declarations."""
    out = [
        "# Warehouse schema",
        "",
        "Generated from `src/microscout/core/schema.py` by",
        "`python -m microscout.core.schema`; do not edit. Unknown values are NULL, never 0.",
        "",
    ]
    for table in ALL_TABLES:
        key = f" Key: `({', '.join(table.key)})`." if table.key else ""
        out += [f"## {table.name}", "", table.doc + key, "", "| column | type | meaning |"]
        out.append("|---|---|---|")
        out += [f"| `{c.name}` | {c.dtype} | {c.doc} |" for c in table.columns]
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    from pathlib import Path

    Path("docs/schema.md").write_text(schema_markdown(), encoding="utf-8")
