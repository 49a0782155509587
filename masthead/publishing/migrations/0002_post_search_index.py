"""Full-text index for post search.

On SQLite, an external-content FTS5 table that triggers keep in step with publishing_post.
PostgreSQL needs nothing stored here: it ranks with to_tsvector at query time.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE publishing_post_fts USING fts5(
        title, dek, body_text, content='publishing_post', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER publishing_post_fts_insert AFTER INSERT ON publishing_post BEGIN
        INSERT INTO publishing_post_fts(rowid, title, dek, body_text)
        VALUES (new.id, new.title, new.dek, new.body_text);
    END""",
    """CREATE TRIGGER publishing_post_fts_delete AFTER DELETE ON publishing_post BEGIN
        INSERT INTO publishing_post_fts(publishing_post_fts, rowid, title, dek, body_text)
        VALUES ('delete', old.id, old.title, old.dek, old.body_text);
    END""",
    """CREATE TRIGGER publishing_post_fts_update AFTER UPDATE ON publishing_post BEGIN
        INSERT INTO publishing_post_fts(publishing_post_fts, rowid, title, dek, body_text)
        VALUES ('delete', old.id, old.title, old.dek, old.body_text);
        INSERT INTO publishing_post_fts(rowid, title, dek, body_text)
        VALUES (new.id, new.title, new.dek, new.body_text);
    END""",
    "INSERT INTO publishing_post_fts(publishing_post_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS publishing_post_fts_update",
    "DROP TRIGGER IF EXISTS publishing_post_fts_delete",
    "DROP TRIGGER IF EXISTS publishing_post_fts_insert",
    "DROP TABLE IF EXISTS publishing_post_fts",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("publishing", "0001_initial")]

    operations = [migrations.RunPython(_run(SQLITE_FORWARD), _run(SQLITE_BACKWARD))]
