// Positions are rowids: never deleted, so max+1 keeps the global feed strictly increasing.
// hash: the tamper-evidence chain (hash-chain.ts); null only on rows the store did not write.
export const SQLITE_SCHEMA = `
create table if not exists events (
  position       integer primary key,
  stream_id      text    not null,
  revision       integer not null,
  event_id       text    not null unique,
  type           text    not null,
  schema_version integer not null,
  data           text    not null,
  metadata       text    not null,
  recorded_at    text    not null,
  hash           blob,
  unique (stream_id, revision)
);
-- For headPositionAt; "if not exists" also adds it to files created before it existed.
create index if not exists events_recorded_at on events (recorded_at);
-- Signed checkpoints of the hash chain (checkpoint.signer.ts).
create table if not exists checkpoints (
  position  integer primary key,
  hash      blob    not null,
  taken_at  text    not null,
  key_id    text    not null,
  signature blob    not null
);
-- Where each format of the chain starts (hash-chain.ts): format 2 from from_position on.
create table if not exists chain_formats (
  format        integer primary key,
  from_position integer not null
);
create table if not exists streams (
  stream_id text primary key,
  revision  integer not null
) without rowid;
`;
