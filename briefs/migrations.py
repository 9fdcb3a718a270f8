"""The store's schema, one migration per change (sqlite-utils `Migrations`): a store of any earlier schema
opens and migrates in place, without re-ingest. `briefs.store.Store` applies them on open, all in one write
transaction. Table names are a contract (see briefs/store.py)."""
from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

migrations = Migrations("newsbrief")

FTS_TOKENIZE = "porter unicode61 remove_diacritics 2"


@migrations()
def m001_articles(db: sqlite_utils.Database) -> None:
    db["articles"].create(
        {
            "id": int, "seq": int, "source_id": str, "source": str, "outlet": str, "url": str,
            "title": str, "section": str, "published": str, "lede": str, "headings": str,
            "body": str, "content_hash": str, "ingested_at": str,
        },
        pk="id",
        not_null={"seq", "content_hash", "ingested_at"},
    )
    db["articles"].create_index(["seq"], unique=True)
    db["articles"].create_index(["content_hash"], unique=True)
    db["articles"].create_index(["url"])
    db["articles"].create_index(["published"])
    db["speakers"].create(
        {"id": int, "article_id": int, "name": str, "norm": str, "description": str, "aliases": str, "kind": str},
        pk="id", foreign_keys=[("article_id", "articles", "id")],
    )
    db["quotes"].create(
        {"id": int, "article_id": int, "position": int, "speaker": str, "speaker_norm": str, "text": str,
         "kind": str, "start": int, "end": int},
        pk="id", foreign_keys=[("article_id", "articles", "id")],
    )
    db["claims"].create(
        {"id": int, "article_id": int, "position": int, "speaker": str, "speaker_norm": str, "source": str,
         "text": str, "score": float},
        pk="id", foreign_keys=[("article_id", "articles", "id")],
    )
    db["mentions"].create(
        {"article_id": int, "name": str, "norm": str},
        pk=("article_id", "norm"), foreign_keys=[("article_id", "articles", "id")],
    )
    for table in ("speakers", "quotes", "claims"):
        db[table].create_index(["article_id"])
    db["speakers"].create_index(["norm"])
    db["quotes"].create_index(["speaker_norm", "article_id"])
    db["claims"].create_index(["speaker_norm"])
    db["claims"].create_index(["score"])
    db["mentions"].create_index(["norm"])
    db["articles"].enable_fts(["title", "lede", "body"], create_triggers=True, tokenize=FTS_TOKENIZE)
    db["quotes"].enable_fts(["text", "speaker"], create_triggers=True, tokenize=FTS_TOKENIZE)
    db["claims"].enable_fts(["text", "speaker"], create_triggers=True, tokenize=FTS_TOKENIZE)


@migrations()
def m002_superseded_versions(db: sqlite_utils.Database) -> None:
    """Content hashes of versions that a correction replaced: reading an old version again changes nothing.

    Without it, a folder holding an article and its correction flips the stored
    article back and forth on every read (two "replaced" each time).
    """
    db["superseded"].create(
        {"content_hash": str, "article_id": int}, pk="content_hash",
        foreign_keys=[("article_id", "articles", "id")],
    )
    db["superseded"].create_index(["article_id"])


@migrations()
def m003_reply_indexes(db: sqlite_utils.Database) -> None:
    """Indexes behind the bot's replies (briefs/queries.py): newest-first lists and per-person lookups."""
    db["articles"].create_index(["published", "id"], if_not_exists=True)
    db["speakers"].create_index(["norm", "article_id"], if_not_exists=True)
    db["speakers"].create_index(["norm", "name", "aliases"], if_not_exists=True)  # covers the name index build
    db["mentions"].create_index(["norm", "name"], if_not_exists=True)
    db["claims"].create_index(["speaker_norm", "score"], if_not_exists=True)
    db["claims"].create_index(["article_id", "score"], if_not_exists=True)


@migrations()
def m004_digests(db: sqlite_utils.Database) -> None:
    """Daily digests (issue 5): who gets what when, what was delivered, which inbox files were seen."""
    db["subscriptions"].create(
        {
            "chat_id": int, "thread_id": int, "chat_type": str, "time": str, "tz": str, "filters": str,
            "marker": int, "next_due_utc": str, "next_local_date": str, "active": int,
            "deactivated_reason": str, "created_at": str, "updated_at": str,
        },
        pk="chat_id",
        not_null={"time", "tz", "filters", "marker", "next_due_utc", "next_local_date", "active"},
        defaults={"filters": "", "active": 1},
    )
    db["subscriptions"].create_index(["active", "next_due_utc"])
    db["deliveries"].create(
        {"id": int, "chat_id": int, "local_date": str, "seq_from": int, "seq_to": int, "articles": int,
         "message_id": int, "sent_at": str},
        pk="id",
        not_null={"chat_id", "local_date", "seq_to", "sent_at"},
    )
    db["deliveries"].create_index(["chat_id", "local_date"], unique=True)
    db["digest_filters"].create({"key": str, "filters": str}, pk="key", not_null={"filters"})
    db["inbox_files"].create(
        {"path": str, "size": int, "mtime_ns": int, "status": str, "detail": str, "seen_at": str},
        pk="path",
    )


@migrations()
def m005_quote_lead(db: sqlite_utils.Database) -> None:
    """A reported quote's negating verb ("rules out"), shown before it."""
    db["quotes"].add_column("lead", str)


@migrations()
def m006_delivery_safety(db: sqlite_utils.Database) -> None:
    """Issue 15: different URLs are different articles, digests back off and say why they stopped,
    "More" presses are checked against deliveries, and the name index learns which names left."""
    # the same wire copy at two URLs is two articles: a content hash is no longer unique
    db.execute("drop index if exists idx_articles_content_hash")
    db["articles"].create_index(["content_hash"], if_not_exists=True)
    subscriptions = db["subscriptions"]
    subscriptions.add_column("failures", int, not_null_default=0)  # transient send failures in a row
    subscriptions.add_column("retry_at", str)  # UTC; not tried before then (backoff within the grace window)
    subscriptions.add_column("last_error", str)
    subscriptions.add_column("notice_pending", int, not_null_default=0)  # group admins not yet told why it stopped
    db["deliveries"].create_index(["chat_id", "seq_from", "seq_to"], if_not_exists=True)
    # names held by rows a correction deleted; AUTOINCREMENT: a reader's "seen up to" never misses one
    db.execute("create table if not exists removed_names (id integer primary key autoincrement, norm text not null)")
    db.execute("create unique index if not exists idx_removed_names_norm on removed_names (norm)")


@migrations()
def m007_claim_lead(db: sqlite_utils.Database) -> None:
    """A reported claim's verb ("rules out"), kept apart from what it is about, as quotes got theirs in m005.
    Claims stored before it carry the verb in their text: split it off where their quote has that lead."""
    db["claims"].add_column("lead", str)
    db.execute(
        "update claims set lead = (select q.lead from quotes q where q.article_id = claims.article_id "
        "and q.lead is not null and claims.text = q.lead || ' ' || q.text limit 1) where source = 'speaker'")
    db.execute("update claims set text = substr(text, length(lead) + 2) where lead is not null")


@migrations()
def m008_people(db: sqlite_utils.Database) -> None:
    """People (issue 13): one identity per person or organisation across articles, linked at store time.

    `people` (canonical name, kind, gender from honorifics; `merged_into` redirects a merged id, `pinned` marks a
    person an editor split off), `person_names` (every written form with its parts and how many articles used it),
    `people_rules` (an editor's merge/split/rename, kept on names so they survive re-ingest), and `person_id` on
    speakers, quotes and claims. Existing articles are linked here, without re-ingesting them.
    """
    db["people"].create(
        {"id": int, "name": str, "norm": str, "kind": str, "gender": str, "full": int, "pinned": str,
         "merged_into": int, "rev": int},
        pk="id", not_null={"name", "kind"}, defaults={"full": 0, "rev": 0},
    )
    db["people"].create_index(["rev"])
    db["people"].create_index(["pinned"])
    db["people"].create_index(["norm"])
    db["person_names"].create(
        {"id": int, "person_id": int, "name": str, "norm": str, "core": str, "key": str, "first": str,
         "middles": str, "surname": str, "suffix": str, "title": str, "rows": int, "rev": int},
        pk="id", not_null={"person_id", "name", "norm"}, defaults={"rows": 0, "rev": 0},
    )
    db["person_names"].create_index(["person_id", "norm"], unique=True)
    db["person_names"].create_index(["norm"])
    db["person_names"].create_index(["key"])
    db["person_names"].create_index(["surname"])
    db["person_names"].create_index(["rev"])
    db["people_rules"].create(
        {"id": int, "action": str, "name_norm": str, "target": str, "value": str, "created_at": str},
        pk="id", not_null={"action", "name_norm"},
    )
    db["people_rules"].create_index(["name_norm"])
    for table in ("speakers", "quotes", "claims"):
        db[table].add_column("person_id", int)
    db["speakers"].create_index(["person_id", "article_id"])
    db["quotes"].create_index(["person_id", "article_id"])
    db["claims"].create_index(["person_id", "score"])
    from .linking import Linker

    linker = Linker(db)
    for (article_id,) in db.execute("select id from articles order by seq").fetchall():
        linker.link_stored(article_id)


@migrations()
def m009_follows(db: sqlite_utils.Database) -> None:
    """Following people (issue 14); the tables are described in briefs/follows.py.

    `article_feed` logs every stored article and every correction (triggers: an insert, or an update that sets
    `ingested_at`, which only a correction does; `reextract` leaves it alone, so re-reading sends nothing), and
    `article_versions` keeps each article's current version's feed position. Articles stored before this
    migration are not in them: nothing old alerts. `replaced_quotes`: who said what in each version a correction
    replaced, with that version's feed position. `articles.first_ingested_at`: when the article was first stored
    (a correction rewrites `ingested_at`; the 48 h rule reads this)."""
    if "first_ingested_at" not in db["articles"].columns_dict:  # tools that take a store back may leave it
        db["articles"].add_column("first_ingested_at", str)
    db.execute("update articles set first_ingested_at = ingested_at where first_ingested_at is null")
    db["follows"].create(
        {"id": int, "chat_id": int, "person_id": int, "name": str, "norm": str, "active": int,
         "deactivated_reason": str, "created_at": str, "since_feed": int},
        pk="id", not_null={"chat_id", "name", "norm", "active"}, defaults={"active": 1, "since_feed": 0},
    )
    db["follows"].create_index(["chat_id", "person_id"], unique=True)  # NULLs (names awaiting a person) differ
    db["follows"].create_index(["chat_id", "norm"], unique=True)
    db["follows"].create_index(["person_id", "active"])
    db.execute("create table article_feed (id integer primary key autoincrement, article_id integer not null)")
    db["article_versions"].create({"article_id": int, "feed": int}, pk="article_id", not_null={"feed"},
                                  replace=True)
    feed_row = ("begin insert into article_feed (article_id) values (new.id);"  # last_insert_rowid(): that row
                " insert or replace into article_versions (article_id, feed) values (new.id, last_insert_rowid()); end")
    db.execute(f"create trigger article_feed_added after insert on articles {feed_row}")
    db.execute(f"create trigger article_feed_corrected after update of ingested_at on articles {feed_row}")
    db["replaced_quotes"].create({"article_id": int, "person_id": int, "key": str, "feed": int},
                                 pk=("article_id", "person_id", "key"), not_null={"feed"}, replace=True)
    db["follow_state"].create({"name": str, "value": int}, pk="name")
    db["follow_pending"].create({"chat_id": int, "article_id": int}, pk=("chat_id", "article_id"))
    db.execute("create table follow_batches (id integer primary key autoincrement, chat_id integer not null,"
               " sent_at text not null, message_id integer, articles integer not null)")
    db["follow_batches"].create_index(["chat_id", "sent_at"])
    db["follow_batches"].create_index(["chat_id", "message_id"])
    db["follow_quotes"].create(
        {"id": int, "batch_id": int, "chat_id": int, "article_id": int, "person_id": int, "person": str,
         "position": int, "kind": str, "lead": str, "text": str, "key": str, "update": int},
        pk="id", not_null={"batch_id", "chat_id", "article_id", "key"},
    )
    db["follow_quotes"].create_index(["chat_id", "article_id", "person_id", "key"], unique=True)
    db["follow_quotes"].create_index(["batch_id"])


@migrations()
def m010_follow_thread(db: sqlite_utils.Database) -> None:
    """Where a chat's follow alerts go (the forum topic of its latest /follow; no row: the chat itself), and
    how many alert sends in a row failed (their back-off). Described in briefs/follow_delivery.py."""
    db["follow_chats"].create({"chat_id": int, "thread_id": int, "failures": int}, pk="chat_id",
                              not_null={"failures"}, defaults={"failures": 0})
