namespace EvidenceChain.Storage.Postgres.Internal;

/// <summary>
/// The tables, as numbered migrations applied in order on open (docs/formats.md, "PostgreSQL layout"). A migration is
/// never edited once released: a change is a new one appended here.
/// </summary>
internal static class Schema
{
    /// <summary>Migration i (1-based) brings the schema from version i - 1 to version i.</summary>
    public static readonly string[] Migrations =
    [
        """
        CREATE TABLE tiles (
            entries boolean NOT NULL, level smallint NOT NULL, idx bigint NOT NULL, width smallint NOT NULL, data bytea NOT NULL,
            PRIMARY KEY (entries, level, idx, width));
        CREATE TABLE checkpoint_history (size bigint PRIMARY KEY, note text NOT NULL, published timestamptz NOT NULL DEFAULT now());
        CREATE TABLE checkpoint_latest (id smallint PRIMARY KEY CHECK (id = 1), size bigint NOT NULL, note text NOT NULL);
        CREATE TABLE sequencer (id smallint PRIMARY KEY CHECK (id = 1), epoch bigint NOT NULL, holder text NOT NULL, acquired timestamptz NOT NULL);
        INSERT INTO sequencer VALUES (1, 0, '', now());

        CREATE SEQUENCE blob_ids;
        CREATE TABLE blobs (sha256 bytea PRIMARY KEY, blob_id bigint NOT NULL UNIQUE, size bigint NOT NULL, chunk_size integer NOT NULL);
        CREATE TABLE blob_chunks (blob_id bigint NOT NULL, seq integer NOT NULL, data bytea NOT NULL, PRIMARY KEY (blob_id, seq));
        ALTER TABLE blob_chunks ALTER COLUMN data SET STORAGE EXTERNAL;

        CREATE TABLE entry_leaves (leaf_hash bytea PRIMARY KEY, idx bigint NOT NULL);
        CREATE TABLE entry_digests (digest bytea NOT NULL, idx bigint NOT NULL, PRIMARY KEY (digest, idx));
        CREATE TABLE watermarks (name text PRIMARY KEY, value bigint NOT NULL, leaf_hash bytea);
        INSERT INTO watermarks VALUES ('index', 0, NULL), ('cases', 0, NULL), ('search', 0, NULL);

        CREATE TABLE openings (key bytea PRIMARY KEY, disclosure bytea NOT NULL);
        CREATE TABLE timestamps (size bigint PRIMARY KEY, checkpoint text NOT NULL, response bytea NOT NULL);
        CREATE TABLE tsa_serial (id smallint PRIMARY KEY CHECK (id = 1), next_block bigint NOT NULL);
        INSERT INTO tsa_serial VALUES (1, 1);
        CREATE TABLE cosignatures (
            id smallint PRIMARY KEY CHECK (id = 1),
            witness_names text[] NOT NULL, witness_sizes bigint[] NOT NULL,
            latest_size bigint, latest_note text, latest_witnesses text[],
            quorum_size bigint, quorum_note text, quorum_witnesses text[]);

        CREATE TABLE case_events (idx bigint PRIMARY KEY, leaf bytea NOT NULL);
        CREATE TABLE search_entries (
            idx bigint PRIMARY KEY, leaf_hash bytea NOT NULL, kind text NOT NULL, time_ticks bigint NOT NULL, submitter text NOT NULL,
            title text NOT NULL, file_name text NOT NULL, url text NOT NULL, size bigint NOT NULL, media_type text NOT NULL,
            sha256 bytea NOT NULL, sm3 bytea, has_screenshot boolean NOT NULL, capture_status text NOT NULL, text_lower text NOT NULL);
        CREATE INDEX search_entries_submitter ON search_entries (submitter, idx);
        CREATE INDEX search_entries_time ON search_entries (time_ticks);

        CREATE TABLE api_keys (
            id text PRIMARY KEY, role text NOT NULL, description text NOT NULL, secret_sha256 bytea NOT NULL,
            created_ticks bigint NOT NULL, revoked_ticks bigint);
        """,

        // 2: the append queue through which front-ends hand their appends to the sequencer (docs/formats.md, "Several front-ends").
        """
        CREATE TABLE append_queue (
            id bigserial PRIMARY KEY, leaf bytea NOT NULL, submitted timestamptz NOT NULL DEFAULT now(),
            epoch bigint, claim_size bigint, claim_ms bigint, idx bigint, error text, done timestamptz);
        CREATE INDEX append_queue_open ON append_queue (id) WHERE epoch IS NULL;
        """,

        // 3: capture jobs and watches (docs/formats.md §20): the node's own state, not a follower of the log.
        """
        CREATE TABLE capture_jobs (
            id text PRIMARY KEY, submitter text NOT NULL, case_id text NOT NULL, created_ms bigint NOT NULL, url_count integer NOT NULL,
            no_browser boolean NOT NULL);
        CREATE TABLE capture_job_items (
            job_id text NOT NULL, pos integer NOT NULL, url text NOT NULL, state text NOT NULL, entry_idx bigint,
            reason text NOT NULL, started_size bigint NOT NULL, PRIMARY KEY (job_id, pos));
        CREATE INDEX capture_job_items_unfinished ON capture_job_items (job_id, pos) WHERE state IN ('Pending', 'Running');
        CREATE TABLE watches (
            id text PRIMARY KEY, url text NOT NULL, submitter text NOT NULL, case_id text NOT NULL, every_ticks bigint NOT NULL,
            start_ms bigint NOT NULL, until_ms bigint NOT NULL, no_browser boolean NOT NULL, state text NOT NULL, ended_ms bigint,
            end_reason text NOT NULL, summary_idx bigint);
        CREATE TABLE watch_events (
            watch_id text NOT NULL, slot bigint NOT NULL, slot_ms bigint NOT NULL, kind text NOT NULL, entry_idx bigint,
            http_status integer NOT NULL, payload_sha256 text NOT NULL, reason text NOT NULL, started_size bigint NOT NULL,
            PRIMARY KEY (watch_id, slot));
        """,
    ];

    /// <summary>The schema version this build writes.</summary>
    public static int Version => Migrations.Length;
}
