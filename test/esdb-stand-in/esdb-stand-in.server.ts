/**
 * In-memory EventStoreDB gRPC stand-in for tests.
 *
 * Serves the `@eventstore/db-client` package's own generated gRPC service
 * definitions (Streams, ServerFeatures, Gossip) on 127.0.0.1 with insecure
 * credentials, backed by an in-memory log. It lets the real client be exercised
 * over real gRPC. It is NOT EventStoreDB: it models only the subset of server
 * behaviour described in README.md.
 */
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { Empty as ProtoEmpty } from 'google-protobuf/google/protobuf/empty_pb';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import {
  AppendReq,
  AppendResp,
  BatchAppendReq,
  BatchAppendResp,
  ReadReq,
  ReadResp,
  TombstoneReq,
  TombstoneResp,
} from '@eventstore/db-client/generated/streams_pb';
import {
  AllStreamPosition,
  Empty,
  StreamDeleted,
  StreamIdentifier,
  UUID,
  WrongExpectedVersion as SharedWrongExpectedVersion,
} from '@eventstore/db-client/generated/shared_pb';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';
import { GossipService } from '@eventstore/db-client/generated/gossip_grpc_pb';
import { ClusterInfo, EndPoint, MemberInfo } from '@eventstore/db-client/generated/gossip_pb';
import { Status } from '@eventstore/db-client/generated/status_pb';
import { Code } from '@eventstore/db-client/generated/code_pb';

export interface EsdbStandIn {
  /** e.g. `esdb://127.0.0.1:54321?tls=false` */
  connectionString: string;
  port: number;
  /** Force-shuts the gRPC server down and ends every open call (subscriptions, batch-append streams). */
  close(): Promise<void>;
  /**
   * Drops every client connection as a crashed or restarted server would: the gRPC server is shut
   * down at once (open calls fail on the client, new connections are refused), then the same log
   * is served again on the same port after `downForMs` (default 0). Resolves once it serves again.
   */
  dropConnections(options?: { downForMs?: number }): Promise<void>;
  /**
   * For the next `ms` milliseconds (from now; 0 ends it) every new call answers UNAVAILABLE while
   * connections stay up, as a node that is not ready would; calls already open go on.
   */
  refuseCalls(ms: number): void;
  /** How many calls refuseCalls() turned away so far. */
  readonly refused: number;
  /**
   * Test only: changes the stored log in place, as someone with the server's files would: `data` /
   * `metadata` replace the event's JSON bytes, `'remove'` takes the event out of $all (the feed `ledger verify` walks).
   */
  editStoredEvent(streamName: string, revision: number, edit: { data?: unknown; metadata?: unknown } | 'remove'): void;
}

/** Version reported by ServerFeatures.GetSupportedMethods. */
const REPORTED_SERVER_VERSION = '24.10.0';
/** Ticks (100 ns) per millisecond, the unit of the `created` metadata entry. */
const TICKS_PER_MS = 10_000n;
/** Search window used for filtered subscriptions when the client does not send `max`. */
const DEFAULT_FILTER_WINDOW = 32;
const WRONG_EXPECTED_VERSION_TYPE = 'event_store.client.WrongExpectedVersion';
const STREAM_DELETED_TYPE = 'event_store.client.StreamDeleted';
/** How long close() lets open calls drain before forcing the shutdown. */
const CLOSE_GRACE_MS = 500;

// ---------------------------------------------------------------------------
// In-memory log
// ---------------------------------------------------------------------------

interface StoredEvent {
  streamName: string;
  streamBytes: Uint8Array;
  id: string;
  revision: bigint;
  /** commit === prepare */
  position: bigint;
  type: string;
  contentType: string;
  /** ticks since the Unix epoch, as a decimal string */
  created: string;
  data: Uint8Array;
  customMetadata: Uint8Array;
}

interface ProposedEvent {
  id: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  customMetadata: Uint8Array;
}

type ExpectedRevision =
  { kind: 'any' } | { kind: 'no_stream' } | { kind: 'stream_exists' } | { kind: 'revision'; revision: bigint };

type AppendOutcome =
  /** revision/position null: nothing was written and the stream does not exist (empty append). */
  | { ok: true; revision: bigint | null; position: bigint | null }
  | { ok: false; current: bigint | null; expected: ExpectedRevision }
  /** The stream was tombstoned: it can never be written again. */
  | { ok: false; deleted: true };

type LogListener = () => void;

class InMemoryLog {
  readonly all: StoredEvent[] = [];
  readonly streams = new Map<string, StoredEvent[]>();
  /** Hard-deleted streams: their events are gone from every read, and the name can never be used again. */
  readonly tombstoned = new Set<string>();
  private readonly listeners = new Set<LogListener>();
  /** First position is deliberately not 0 and positions grow by record "size" (not dense). */
  private nextPosition = 1_536n;

  /** `now` stamps `created` (milliseconds since the epoch); tests may pin it. */
  constructor(private readonly now: () => number = Date.now) {}

  subscribe(listener: LogListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  clearListeners(): void {
    this.listeners.clear();
  }

  edit(streamName: string, revision: number, edit: { data?: unknown; metadata?: unknown } | 'remove'): void {
    const stream = this.streams.get(streamName) ?? [];
    const event = stream.find((e) => e.revision === BigInt(revision));
    if (!event) throw new Error(`no revision ${revision} in stream ${streamName}`);
    // Out of $all only: the stream's reads by revision and its next revision stay as they were.
    if (edit === 'remove') {
      this.all.splice(this.all.indexOf(event), 1);
      return;
    }
    const bytes = (v: unknown) => new Uint8Array(Buffer.from(JSON.stringify(v), 'utf8'));
    if (edit.data !== undefined) event.data = bytes(edit.data);
    if (edit.metadata !== undefined) event.customMetadata = bytes(edit.metadata);
  }

  append(streamName: string, expected: ExpectedRevision, events: ProposedEvent[]): AppendOutcome {
    if (this.tombstoned.has(streamName)) return { ok: false, deleted: true };
    const stream = this.streams.get(streamName) ?? [];
    const current = stream.length === 0 ? null : BigInt(stream.length - 1);

    const idempotent = this.findIdempotentResult(stream, expected, events);
    if (idempotent === 'corrupted') return { ok: false, current, expected };
    if (idempotent) return idempotent;

    const mismatch =
      (expected.kind === 'no_stream' && current !== null) ||
      (expected.kind === 'stream_exists' && current === null) ||
      (expected.kind === 'revision' && current !== expected.revision);
    if (mismatch) return { ok: false, current, expected };

    if (events.length === 0) {
      const last = stream[stream.length - 1];
      return { ok: true, revision: current, position: last ? last.position : null };
    }

    const streamBytes = new Uint8Array(Buffer.from(streamName, 'utf8'));
    const created = (BigInt(this.now()) * TICKS_PER_MS).toString(10);
    let last: StoredEvent | undefined;
    for (const event of events) {
      const stored: StoredEvent = {
        streamName,
        streamBytes,
        id: event.id,
        revision: BigInt(stream.length),
        position: this.nextPosition,
        type: event.type,
        contentType: event.contentType,
        created,
        data: event.data,
        customMetadata: event.customMetadata,
      };
      this.nextPosition += recordSize(stored);
      stream.push(stored);
      this.all.push(stored);
      last = stored;
    }
    this.streams.set(streamName, stream);
    for (const listener of [...this.listeners]) listener();
    return { ok: true, revision: last!.revision, position: last!.position };
  }

  /**
   * A hard delete: the stream's events leave every read at once and their bytes are zeroed (what a
   * real server does only at the next scavenge), and the name stays deleted for good.
   */
  tombstone(streamName: string, expected: ExpectedRevision): AppendOutcome {
    if (this.tombstoned.has(streamName)) return { ok: false, deleted: true };
    const stream = this.streams.get(streamName) ?? [];
    const current = stream.length === 0 ? null : BigInt(stream.length - 1);
    const mismatch =
      (expected.kind === 'no_stream' && current !== null) ||
      (expected.kind === 'stream_exists' && current === null) ||
      (expected.kind === 'revision' && current !== expected.revision);
    if (mismatch) return { ok: false, current, expected };
    this.tombstoned.add(streamName);
    for (const e of stream) {
      e.data.fill(0);
      e.customMetadata.fill(0);
    }
    this.streams.delete(streamName);
    return { ok: true, revision: current, position: this.nextPosition };
  }

  /** Still readable: not in a tombstoned stream. */
  readable(e: StoredEvent): boolean {
    return !this.tombstoned.has(e.streamName);
  }

  /**
   * EventStoreDB-style idempotency: when the proposed ids are exactly the events
   * already stored where this append would have put them, report the original
   * result and write nothing. A partial match is "corrupted idempotency", which
   * the server reports as a wrong expected version.
   */
  private findIdempotentResult(
    stream: StoredEvent[],
    expected: ExpectedRevision,
    events: ProposedEvent[],
  ): AppendOutcome | 'corrupted' | null {
    if (events.length === 0 || stream.length === 0) return null;
    let start: number;
    switch (expected.kind) {
      case 'revision':
        start = Number(expected.revision) + 1;
        break;
      case 'no_stream':
        start = 0;
        break;
      default: // any / stream_exists: wherever the first id already sits in the stream
        start = stream.findIndex((e) => e.id === events[0]!.id);
        if (start < 0) return null;
    }
    if (start >= stream.length || stream[start]!.id !== events[0]!.id) return null;
    for (let i = 0; i < events.length; i++) {
      const stored = stream[start + i];
      if (!stored || stored.id !== events[i]!.id) return 'corrupted';
    }
    const last = stream[start + events.length - 1]!;
    return { ok: true, revision: last.revision, position: last.position };
  }
}

/** Byte-offset-like size so positions are strictly increasing but not dense. */
function recordSize(e: StoredEvent): bigint {
  const payload =
    e.streamBytes.length + 16 + e.type.length + e.contentType.length + e.data.length + e.customMetadata.length;
  const size = 256 + payload;
  return BigInt(size + ((8 - (size % 8)) % 8));
}

// ---------------------------------------------------------------------------
// Protobuf helpers
// ---------------------------------------------------------------------------

function uuidToString(uuid: UUID | undefined): string {
  if (!uuid) return '';
  if (uuid.hasStructured()) {
    const s = uuid.getStructured()!;
    const msb = BigInt.asUintN(64, BigInt(s.getMostSignificantBits()));
    const lsb = BigInt.asUintN(64, BigInt(s.getLeastSignificantBits()));
    const hex = msb.toString(16).padStart(16, '0') + lsb.toString(16).padStart(16, '0');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  return uuid.getString().toLowerCase();
}

function uuidMessage(id: string, structured: boolean): UUID {
  const uuid = new UUID();
  if (!structured) {
    uuid.setString(id);
    return uuid;
  }
  const hex = id.replace(/-/g, '');
  const s = new UUID.Structured();
  s.setMostSignificantBits(BigInt.asIntN(64, BigInt(`0x${hex.slice(0, 16)}`)).toString(10));
  s.setLeastSignificantBits(BigInt.asIntN(64, BigInt(`0x${hex.slice(16)}`)).toString(10));
  uuid.setStructured(s);
  return uuid;
}

function streamNameOf(identifier: StreamIdentifier | undefined): string {
  return identifier ? Buffer.from(identifier.getStreamName_asU8()).toString('utf8') : '';
}

function streamIdentifier(bytes: Uint8Array): StreamIdentifier {
  const identifier = new StreamIdentifier();
  identifier.setStreamName(bytes);
  return identifier;
}

function toProposedEvent(message: AppendReq.ProposedMessage | BatchAppendReq.ProposedMessage): ProposedEvent {
  const metadata = message.getMetadataMap();
  return {
    id: uuidToString(message.getId()),
    type: metadata.get('type') ?? '',
    contentType: metadata.get('content-type') ?? 'application/octet-stream',
    data: Uint8Array.from(message.getData_asU8()),
    customMetadata: Uint8Array.from(message.getCustomMetadata_asU8()),
  };
}

function toReadResp(e: StoredEvent, structuredUuid: boolean): ReadResp {
  const recorded = new ReadResp.ReadEvent.RecordedEvent();
  recorded.setId(uuidMessage(e.id, structuredUuid));
  recorded.setStreamIdentifier(streamIdentifier(e.streamBytes));
  recorded.setStreamRevision(e.revision.toString(10));
  recorded.setPreparePosition(e.position.toString(10));
  recorded.setCommitPosition(e.position.toString(10));
  const metadata = recorded.getMetadataMap();
  metadata.set('type', e.type);
  metadata.set('content-type', e.contentType);
  metadata.set('created', e.created);
  recorded.setData(e.data);
  recorded.setCustomMetadata(e.customMetadata);
  const readEvent = new ReadResp.ReadEvent();
  readEvent.setEvent(recorded);
  readEvent.setCommitPosition(e.position.toString(10));
  const resp = new ReadResp();
  resp.setEvent(readEvent);
  return resp;
}

function expectedFromAppend(options: AppendReq.Options): ExpectedRevision {
  switch (options.getExpectedStreamRevisionCase()) {
    case AppendReq.Options.ExpectedStreamRevisionCase.REVISION:
      return { kind: 'revision', revision: BigInt(options.getRevision()) };
    case AppendReq.Options.ExpectedStreamRevisionCase.NO_STREAM:
      return { kind: 'no_stream' };
    case AppendReq.Options.ExpectedStreamRevisionCase.STREAM_EXISTS:
      return { kind: 'stream_exists' };
    default:
      return { kind: 'any' };
  }
}

function expectedFromTombstone(options: TombstoneReq.Options): ExpectedRevision {
  switch (options.getExpectedStreamRevisionCase()) {
    case TombstoneReq.Options.ExpectedStreamRevisionCase.REVISION:
      return { kind: 'revision', revision: BigInt(options.getRevision()) };
    case TombstoneReq.Options.ExpectedStreamRevisionCase.NO_STREAM:
      return { kind: 'no_stream' };
    case TombstoneReq.Options.ExpectedStreamRevisionCase.STREAM_EXISTS:
      return { kind: 'stream_exists' };
    default:
      return { kind: 'any' };
  }
}

function expectedFromBatch(options: BatchAppendReq.Options): ExpectedRevision {
  switch (options.getExpectedStreamPositionCase()) {
    case BatchAppendReq.Options.ExpectedStreamPositionCase.STREAM_POSITION:
      return { kind: 'revision', revision: BigInt(options.getStreamPosition()) };
    case BatchAppendReq.Options.ExpectedStreamPositionCase.NO_STREAM:
      return { kind: 'no_stream' };
    case BatchAppendReq.Options.ExpectedStreamPositionCase.STREAM_EXISTS:
      return { kind: 'stream_exists' };
    default:
      return { kind: 'any' };
  }
}

/** What the server answers for a read of, or an append to, a tombstoned stream. */
function streamDeletedError(streamName: string): grpc.ServiceError {
  return grpcError(grpc.status.FAILED_PRECONDITION, `Event stream '${streamName}' is deleted.`, {
    exception: 'stream-deleted',
    'stream-name': streamName,
  });
}

function grpcError(code: grpc.status, details: string, metadata?: Record<string, string>): grpc.ServiceError {
  const md = new grpc.Metadata();
  for (const [key, value] of Object.entries(metadata ?? {})) md.set(key, value);
  return Object.assign(new Error(details), { code, details, metadata: md });
}

// ---------------------------------------------------------------------------
// Filters
// ---------------------------------------------------------------------------

interface EventFilter {
  matches(e: StoredEvent): boolean;
  /** Emit a checkpoint after this many scanned events. */
  checkpointEvery: number;
}

function buildFilter(options: ReadReq.Options): EventFilter | null {
  if (options.getFilterOptionCase() !== ReadReq.Options.FilterOptionCase.FILTER) return null;
  const filter = options.getFilter()!;
  const onStream = filter.getFilterCase() === ReadReq.Options.FilterOptions.FilterCase.STREAM_IDENTIFIER;
  const expression = onStream ? filter.getStreamIdentifier() : filter.getEventType();
  const prefixes = expression?.getPrefixList() ?? [];
  const regexSource = expression?.getRegex() ?? '';
  const regex = prefixes.length === 0 && regexSource !== '' ? new RegExp(regexSource) : null;
  const window =
    filter.getWindowCase() === ReadReq.Options.FilterOptions.WindowCase.MAX && filter.getMax() > 0
      ? filter.getMax()
      : DEFAULT_FILTER_WINDOW;
  const multiplier = Math.max(1, filter.getCheckpointintervalmultiplier());
  return {
    checkpointEvery: window * multiplier,
    matches(e) {
      const value = onStream ? e.streamName : e.type;
      if (prefixes.length > 0) return prefixes.some((p) => value.startsWith(p));
      if (regex) return regex.test(value);
      return true;
    },
  };
}

// ---------------------------------------------------------------------------
// gRPC handlers
// ---------------------------------------------------------------------------

type ReadCall = grpc.ServerWritableStream<ReadReq, ReadResp>;

interface OpenCall {
  /** Ends the call as a stopping server does. */
  end(): void;
  /** Forgets the call without answering it (its connection is being cut). */
  drop(): void;
}

class StandInService {
  private readonly openCalls = new Set<OpenCall>();

  constructor(
    private readonly log: InMemoryLog,
    private readonly endpoint: () => { host: string; port: number },
  ) {}

  endAllCalls(): void {
    for (const call of [...this.openCalls]) {
      try {
        call.end();
      } catch {
        /* already gone */
      }
    }
    this.openCalls.clear();
  }

  dropAllCalls(): void {
    for (const call of [...this.openCalls]) call.drop();
    this.openCalls.clear();
  }

  // ---- ServerFeatures -----------------------------------------------------

  readonly getSupportedMethods: grpc.handleUnaryCall<Empty, SupportedMethods> = (_call, callback) => {
    const result = new SupportedMethods();
    result.setEventStoreServerVersion(REPORTED_SERVER_VERSION);
    const implemented = [
      StreamsService.read.path,
      StreamsService.append.path,
      StreamsService.batchAppend.path,
      StreamsService.tombstone.path,
      ServerFeaturesService.getSupportedMethods.path,
      GossipService.read.path,
    ];
    for (const path of implemented) {
      const [, service, method] = path.split('/');
      const supported = new SupportedMethod();
      supported.setServiceName(service!.toLowerCase());
      supported.setMethodName(method!.toLowerCase());
      result.addMethods(supported);
    }
    callback(null, result);
  };

  // ---- Gossip (only needed for esdb+discover:// connection strings) --------

  readonly gossipRead: grpc.handleUnaryCall<Empty, ClusterInfo> = (_call, callback) => {
    const { host, port } = this.endpoint();
    const endPoint = new EndPoint();
    endPoint.setAddress(host);
    endPoint.setPort(port);
    const member = new MemberInfo();
    member.setInstanceId(uuidMessage(INSTANCE_ID, false));
    member.setTimeStamp((BigInt(Date.now()) * TICKS_PER_MS).toString(10));
    member.setState(MemberInfo.VNodeState.LEADER);
    member.setIsAlive(true);
    member.setHttpEndPoint(endPoint);
    const info = new ClusterInfo();
    info.addMembers(member);
    callback(null, info);
  };

  // ---- Streams.Tombstone (hard delete) ---------------------------------------

  readonly tombstone: grpc.handleUnaryCall<TombstoneReq, TombstoneResp> = (call, callback) => {
    const options = call.request.getOptions();
    if (!options) {
      callback(grpcError(grpc.status.INVALID_ARGUMENT, 'TombstoneReq without options'));
      return;
    }
    const streamName = streamNameOf(options.getStreamIdentifier());
    const outcome = this.log.tombstone(streamName, expectedFromTombstone(options));
    if ('deleted' in outcome) {
      callback(streamDeletedError(streamName));
      return;
    }
    if (!outcome.ok) {
      callback(
        grpcError(grpc.status.FAILED_PRECONDITION, 'WrongExpectedVersion', {
          exception: 'wrong-expected-version',
          'stream-name': streamName,
          // The client reads a missing actual version as no_stream; an expected one that is not a number as -1.
          'expected-version': outcome.expected.kind === 'revision' ? outcome.expected.revision.toString(10) : '-1',
          ...(outcome.current === null ? {} : { 'actual-version': outcome.current.toString(10) }),
        }),
      );
      return;
    }
    const resp = new TombstoneResp();
    const position = new TombstoneResp.Position();
    position.setCommitPosition(String(outcome.position));
    position.setPreparePosition(String(outcome.position));
    resp.setPosition(position);
    callback(null, resp);
  };

  // ---- Streams.Append (client streaming) ------------------------------------

  readonly append: grpc.handleClientStreamingCall<AppendReq, AppendResp> = (call, callback) => {
    let options: AppendReq.Options | undefined;
    const events: ProposedEvent[] = [];
    call.on('data', (req: AppendReq) => {
      if (req.hasOptions()) options = req.getOptions();
      else if (req.hasProposedMessage()) events.push(toProposedEvent(req.getProposedMessage()!));
    });
    call.on('error', () => undefined);
    call.on('end', () => {
      if (!options) {
        callback(grpcError(grpc.status.INVALID_ARGUMENT, 'First AppendReq must carry options'));
        return;
      }
      const streamName = streamNameOf(options.getStreamIdentifier());
      const outcome = this.log.append(streamName, expectedFromAppend(options), events);
      if ('deleted' in outcome) {
        callback(streamDeletedError(streamName));
        return;
      }
      const resp = new AppendResp();
      if (outcome.ok) {
        const success = new AppendResp.Success();
        if (outcome.revision === null) success.setNoStream(new Empty());
        else success.setCurrentRevision(outcome.revision.toString(10));
        if (outcome.position === null) success.setNoPosition(new Empty());
        else {
          const position = new AppendResp.Position();
          position.setCommitPosition(outcome.position.toString(10));
          position.setPreparePosition(outcome.position.toString(10));
          success.setPosition(position);
        }
        resp.setSuccess(success);
      } else {
        const wev = new AppendResp.WrongExpectedVersion();
        if (outcome.current === null) wev.setCurrentNoStream(new Empty());
        else wev.setCurrentRevision(outcome.current.toString(10));
        switch (outcome.expected.kind) {
          case 'any':
            wev.setExpectedAny(new Empty());
            break;
          case 'no_stream':
            wev.setExpectedNoStream(new Empty());
            break;
          case 'stream_exists':
            wev.setExpectedStreamExists(new Empty());
            break;
          case 'revision':
            wev.setExpectedRevision(outcome.expected.revision.toString(10));
            break;
        }
        resp.setWrongExpectedVersion(wev);
      }
      callback(null, resp);
    });
  };

  // ---- Streams.BatchAppend (bidi streaming; the client's default when advertised) ----

  readonly batchAppend: grpc.handleBidiStreamingCall<BatchAppendReq, BatchAppendResp> = (call) => {
    const pending = new Map<string, { correlation: UUID; options?: BatchAppendReq.Options; events: ProposedEvent[] }>();
    // On close() the stream is failed with UNAVAILABLE (as a stopping server would):
    // the client never half-closes its batch-append stream, and a stream ended with OK
    // would leave the client's dispose() waiting forever for it to finish.
    const forget = (): void => {
      this.openCalls.delete(handle);
    };
    const handle: OpenCall = {
      end: () => call.emit('error', grpcError(grpc.status.UNAVAILABLE, 'Server is shutting down')),
      drop: forget,
    };
    this.openCalls.add(handle);
    call.on('cancelled', forget);
    call.on('error', forget);
    call.on('end', () => {
      forget();
      call.end();
    });
    call.on('data', (req: BatchAppendReq) => {
      const correlation = req.getCorrelationId() ?? new UUID();
      const key = uuidToString(correlation);
      const entry = pending.get(key) ?? { correlation, events: [] };
      pending.set(key, entry);
      if (req.hasOptions()) entry.options = req.getOptions();
      for (const message of req.getProposedMessagesList()) entry.events.push(toProposedEvent(message));
      if (!req.getIsFinal()) return;
      pending.delete(key);
      call.write(this.completeBatch(entry.correlation, entry.options, entry.events));
    });
  };

  private completeBatch(
    correlation: UUID,
    options: BatchAppendReq.Options | undefined,
    events: ProposedEvent[],
  ): BatchAppendResp {
    const resp = new BatchAppendResp();
    resp.setCorrelationId(correlation);
    if (!options) {
      const status = new Status();
      status.setCode(Code.INVALID_ARGUMENT);
      status.setMessage('Batch was completed without options');
      resp.setError(status);
      return resp;
    }
    const identifier = options.getStreamIdentifier() ?? new StreamIdentifier();
    resp.setStreamIdentifier(identifier);
    const expected = expectedFromBatch(options);
    switch (expected.kind) {
      case 'any':
        resp.setAny(new ProtoEmpty());
        break;
      case 'no_stream':
        resp.setNoStream(new ProtoEmpty());
        break;
      case 'stream_exists':
        resp.setStreamExists(new ProtoEmpty());
        break;
      case 'revision':
        resp.setStreamPosition(expected.revision.toString(10));
        break;
    }

    const outcome = this.log.append(streamNameOf(identifier), expected, events);
    if ('deleted' in outcome) {
      const deleted = new StreamDeleted();
      deleted.setStreamIdentifier(identifier);
      const details = new Any();
      details.pack(deleted.serializeBinary(), STREAM_DELETED_TYPE);
      const status = new Status();
      status.setCode(Code.FAILED_PRECONDITION);
      status.setMessage('StreamDeleted');
      status.setDetails(details);
      resp.setError(status);
      return resp;
    }
    if (outcome.ok) {
      const success = new BatchAppendResp.Success();
      if (outcome.revision === null) success.setNoStream(new ProtoEmpty());
      else success.setCurrentRevision(outcome.revision.toString(10));
      if (outcome.position === null) success.setNoPosition(new ProtoEmpty());
      else {
        const position = new AllStreamPosition();
        position.setCommitPosition(outcome.position.toString(10));
        position.setPreparePosition(outcome.position.toString(10));
        success.setPosition(position);
      }
      resp.setSuccess(success);
      return resp;
    }

    const wev = new SharedWrongExpectedVersion();
    if (outcome.current === null) wev.setCurrentNoStream(new ProtoEmpty());
    else wev.setCurrentStreamRevision(outcome.current.toString(10));
    switch (outcome.expected.kind) {
      case 'any':
        wev.setExpectedAny(new ProtoEmpty());
        break;
      case 'no_stream':
        wev.setExpectedNoStream(new ProtoEmpty());
        break;
      case 'stream_exists':
        wev.setExpectedStreamExists(new ProtoEmpty());
        break;
      case 'revision':
        wev.setExpectedStreamPosition(outcome.expected.revision.toString(10));
        break;
    }
    const details = new Any();
    details.pack(wev.serializeBinary(), WRONG_EXPECTED_VERSION_TYPE);
    const status = new Status();
    status.setCode(Code.FAILED_PRECONDITION);
    status.setMessage('WrongExpectedVersion');
    status.setDetails(details);
    resp.setError(status);
    return resp;
  }

  // ---- Streams.Read (reads and catch-up subscriptions) -----------------------

  readonly read: grpc.handleServerStreamingCall<ReadReq, ReadResp> = (call) => {
    const options = call.request.getOptions();
    if (!options) {
      call.emit('error', grpcError(grpc.status.INVALID_ARGUMENT, 'ReadReq without options'));
      return;
    }
    const structuredUuid =
      options.getUuidOption()?.getContentCase() === ReadReq.Options.UUIDOption.ContentCase.STRUCTURED;
    const isAll = options.getStreamOptionCase() === ReadReq.Options.StreamOptionCase.ALL;
    const isSubscription = options.getCountOptionCase() === ReadReq.Options.CountOptionCase.SUBSCRIPTION;
    if (!isAll && options.getStreamOptionCase() !== ReadReq.Options.StreamOptionCase.STREAM) {
      call.emit('error', grpcError(grpc.status.INVALID_ARGUMENT, 'ReadReq without stream or all options'));
      return;
    }
    if (isSubscription) {
      this.subscribe(call, options, isAll, structuredUuid);
      return;
    }
    const backwards = options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS;
    const countText = options.getCountOptionCase() === ReadReq.Options.CountOptionCase.COUNT ? options.getCount() : '0';
    let remaining = BigInt(countText || '0');

    if (isAll) {
      const all = this.log.all;
      const filter = buildFilter(options);
      const allOptions = options.getAll()!;
      let index: number;
      switch (allOptions.getAllOptionCase()) {
        case ReadReq.Options.AllOptions.AllOptionCase.END:
          index = backwards ? all.length - 1 : all.length;
          break;
        case ReadReq.Options.AllOptions.AllOptionCase.POSITION: {
          const from = BigInt(allOptions.getPosition()!.getCommitPosition());
          // Forwards: the event AT the position is included. Backwards: positions are
          // "after the record", so the event at the position is excluded.
          index = backwards ? lastIndexBefore(all, from) : firstIndexAtOrAfter(all, from);
          break;
        }
        default:
          index = backwards ? -1 : 0;
      }
      const step = backwards ? -1 : 1;
      for (; remaining > 0n && index >= 0 && index < all.length; index += step) {
        const e = all[index]!;
        if (!this.log.readable(e) || (filter && !filter.matches(e))) continue;
        call.write(toReadResp(e, structuredUuid));
        remaining--;
      }
      call.end();
      return;
    }

    const streamOptions = options.getStream()!;
    const streamName = streamNameOf(streamOptions.getStreamIdentifier());
    if (this.log.tombstoned.has(streamName)) {
      call.emit('error', streamDeletedError(streamName));
      return;
    }
    const stream = this.log.streams.get(streamName);
    if (!stream || stream.length === 0) {
      const notFound = new ReadResp.StreamNotFound();
      notFound.setStreamIdentifier(streamOptions.getStreamIdentifier());
      const resp = new ReadResp();
      resp.setStreamNotFound(notFound);
      call.write(resp);
      call.end();
      return;
    }
    let index: number;
    switch (streamOptions.getRevisionOptionCase()) {
      case ReadReq.Options.StreamOptions.RevisionOptionCase.END:
        index = backwards ? stream.length - 1 : stream.length;
        break;
      case ReadReq.Options.StreamOptions.RevisionOptionCase.REVISION: {
        const revision = BigInt(streamOptions.getRevision());
        const last = BigInt(stream.length - 1);
        index = Number(backwards ? (revision > last ? last : revision) : revision > last ? last + 1n : revision);
        break;
      }
      default:
        index = 0;
    }
    const step = backwards ? -1 : 1;
    for (; remaining > 0n && index >= 0 && index < stream.length; index += step) {
      call.write(toReadResp(stream[index]!, structuredUuid));
      remaining--;
    }
    call.end();
  };

  private subscribe(call: ReadCall, options: ReadReq.Options, isAll: boolean, structuredUuid: boolean): void {
    let closed = false;
    let unsubscribe: () => void = () => undefined;
    const stop = (): void => {
      closed = true;
      unsubscribe();
      this.openCalls.delete(handle);
    };
    const handle: OpenCall = {
      end: () => {
        if (closed) return;
        closed = true;
        unsubscribe();
        call.end();
      },
      drop: stop,
    };
    call.on('cancelled', stop);
    call.on('error', stop);
    call.on('close', stop);
    this.openCalls.add(handle);

    const confirmation = new ReadResp.SubscriptionConfirmation();
    confirmation.setSubscriptionId(randomUUID());
    const confirmationResp = new ReadResp();
    confirmationResp.setConfirmation(confirmation);
    call.write(confirmationResp);

    let deliver: () => void;
    if (isAll) {
      const all = this.log.all;
      const filter = buildFilter(options);
      const allOptions = options.getAll()!;
      let cursor: number;
      switch (allOptions.getAllOptionCase()) {
        case ReadReq.Options.AllOptions.AllOptionCase.END:
          cursor = all.length;
          break;
        case ReadReq.Options.AllOptions.AllOptionCase.POSITION:
          // Subscriptions start AFTER the given position.
          cursor = firstIndexAtOrAfter(all, BigInt(allOptions.getPosition()!.getCommitPosition()) + 1n);
          break;
        default:
          cursor = 0;
      }
      let scannedSinceCheckpoint = 0;
      deliver = () => {
        for (; cursor < all.length && !closed; cursor++) {
          const e = all[cursor]!;
          if (this.log.readable(e) && (!filter || filter.matches(e))) call.write(toReadResp(e, structuredUuid));
          if (filter && ++scannedSinceCheckpoint >= filter.checkpointEvery) {
            scannedSinceCheckpoint = 0;
            const checkpoint = new ReadResp.Checkpoint();
            checkpoint.setCommitPosition(e.position.toString(10));
            checkpoint.setPreparePosition(e.position.toString(10));
            const resp = new ReadResp();
            resp.setCheckpoint(checkpoint);
            call.write(resp);
          }
        }
      };
    } else {
      const streamOptions = options.getStream()!;
      const streamName = streamNameOf(streamOptions.getStreamIdentifier());
      const existing = this.log.streams.get(streamName) ?? [];
      let cursor: number;
      switch (streamOptions.getRevisionOptionCase()) {
        case ReadReq.Options.StreamOptions.RevisionOptionCase.END:
          cursor = existing.length;
          break;
        case ReadReq.Options.StreamOptions.RevisionOptionCase.REVISION:
          // Subscriptions start AFTER the given revision.
          cursor = Number(BigInt(streamOptions.getRevision()) + 1n);
          break;
        default:
          cursor = 0;
      }
      deliver = () => {
        const stream = this.log.streams.get(streamName) ?? [];
        for (; cursor < stream.length && !closed; cursor++) {
          call.write(toReadResp(stream[cursor]!, structuredUuid));
        }
      };
    }

    // Catch-up, then caught-up, then live. Appends are synchronous, so nothing can slip in between.
    deliver();
    if (closed) return;
    const caughtUp = new ReadResp();
    caughtUp.setCaughtUp(new ReadResp.CaughtUp());
    call.write(caughtUp);
    unsubscribe = this.log.subscribe(deliver);
  }
}

/** Index of the first event whose position is >= `position` (log.length if none). */
function firstIndexAtOrAfter(all: StoredEvent[], position: bigint): number {
  let lo = 0;
  let hi = all.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (all[mid]!.position < position) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the last event whose position is < `position` (-1 if none). */
function lastIndexBefore(all: StoredEvent[], position: bigint): number {
  return firstIndexAtOrAfter(all, position) - 1;
}

const INSTANCE_ID = randomUUID();

// ---------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------

export async function startEsdbStandIn(opts?: { port?: number; clock?: () => number }): Promise<EsdbStandIn> {
  const host = '127.0.0.1';
  const log = new InMemoryLog(opts?.clock);
  let boundPort = 0;
  const service = new StandInService(log, () => ({ host, port: boundPort }));

  // A system event, so consumers of $all have to cope with (and filter) `$` events.
  log.append('$settings', { kind: 'no_stream' }, [
    {
      id: randomUUID(),
      type: '$settings',
      contentType: 'application/json',
      data: new Uint8Array(
        Buffer.from(
          JSON.stringify({
            $userStreamAcl: { $r: '$all', $w: '$all', $d: '$all', $mr: '$all', $mw: '$all' },
            $systemStreamAcl: { $r: '$admins', $w: '$admins', $d: '$admins', $mr: '$admins', $mw: '$admins' },
          }),
          'utf8',
        ),
      ),
      customMetadata: new Uint8Array(0),
    },
  ]);

  // Every handler first asks whether calls are refused for now (refuseCalls).
  let refusingUntil = 0;
  let refused = 0;
  const refuse = (): grpc.ServiceError | null => {
    if (Date.now() >= refusingUntil) return null;
    refused += 1;
    return grpcError(grpc.status.UNAVAILABLE, 'the stand-in refuses calls for now');
  };
  const unary =
    <Req, Resp>(handler: grpc.handleUnaryCall<Req, Resp>): grpc.handleUnaryCall<Req, Resp> =>
    (call, callback) => {
      const error = refuse();
      if (error) callback(error);
      else handler(call, callback);
    };
  const streaming =
    <Call extends NodeJS.EventEmitter>(handler: (call: Call) => void) =>
    (call: Call): void => {
      const error = refuse();
      if (error) call.emit('error', error);
      else handler(call);
    };
  const clientStreaming =
    <Req, Resp>(handler: grpc.handleClientStreamingCall<Req, Resp>): grpc.handleClientStreamingCall<Req, Resp> =>
    (call, callback) => {
      const error = refuse();
      if (error) callback(error);
      else handler(call, callback);
    };

  const serve = async (port: number): Promise<{ server: grpc.Server; port: number }> => {
    const server = new grpc.Server();
    server.addService(StreamsService, {
      read: streaming(service.read),
      append: clientStreaming(service.append),
      batchAppend: streaming(service.batchAppend),
      tombstone: unary(service.tombstone),
    });
    server.addService(ServerFeaturesService, { getSupportedMethods: unary(service.getSupportedMethods) });
    server.addService(GossipService, { read: unary(service.gossipRead) });
    const bound = await new Promise<number>((resolve, reject) => {
      server.bindAsync(`${host}:${port}`, grpc.ServerCredentials.createInsecure(), (error, p) =>
        error ? reject(error) : resolve(p),
      );
    });
    return { server, port: bound };
  };

  let server: grpc.Server;
  ({ server, port: boundPort } = await serve(opts?.port ?? 0));

  let closing: Promise<void> | undefined;
  let dropping: Promise<void> = Promise.resolve();
  return {
    connectionString: `esdb://${host}:${boundPort}?tls=false`,
    port: boundPort,
    get refused() {
      return refused;
    },
    refuseCalls(ms) {
      refusingUntil = Date.now() + ms;
    },
    editStoredEvent(streamName, revision, edit) {
      log.edit(streamName, revision, edit);
    },
    dropConnections(options) {
      dropping = dropping.then(async () => {
        if (closing) return;
        // Cut at once, as a crash would: no OK status, no goodbye; the log stays as it is.
        service.dropAllCalls();
        server.forceShutdown();
        if (options?.downForMs) await new Promise((r) => setTimeout(r, options.downForMs));
        if (closing) return;
        // The port was just released; binding it again may race the kernel for a moment.
        for (let attempt = 0; ; attempt++) {
          try {
            ({ server } = await serve(boundPort));
            return;
          } catch (e) {
            if (attempt >= 50) throw e;
            await new Promise((r) => setTimeout(r, 20));
          }
        }
      });
      return dropping;
    },
    close() {
      closing ??= (async () => {
        await dropping.catch(() => undefined);
        // End live subscriptions and batch-append streams with an OK status first, so
        // clients see a normal end of stream rather than an error event; then shut
        // down, forcing it if some call does not drain quickly.
        log.clearListeners();
        service.endAllCalls();
        await new Promise<void>((resolve) => {
          const force = setTimeout(() => {
            server.forceShutdown();
            resolve();
          }, CLOSE_GRACE_MS);
          server.tryShutdown(() => {
            clearTimeout(force);
            server.forceShutdown();
            resolve();
          });
        });
      })();
      return closing;
    },
  };
}
