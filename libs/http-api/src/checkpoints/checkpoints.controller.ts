import { ConflictException, Controller, Get, Inject, Post, ServiceUnavailableException } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { KeyObject } from 'node:crypto';
import { EVENT_STORE, checkpointToken, type EventStore, type LedgerCheckpoint } from '@ihl/event-store';
import { Roles } from '../auth/auth.guard';
import { NoQueryDto } from '../http/position-query';
import { ValidQuery } from '../http/valid-query.decorator';

/** LEDGER_CHECKPOINT_KEY_FILE's Ed25519 private key in the api (null: the variable is unset). */
export const CHECKPOINT_KEY = Symbol('CHECKPOINT_KEY');

export interface CheckpointAnswer extends LedgerCheckpoint {
  /** The one-line token a file carries (docs/tamper-evidence.md). */
  readonly token: string;
}

const SQLITE_ONLY = 'this event store keeps no signed checkpoints';

/** Signed checkpoints of the log's hash chain, on demand (the api also signs them on its schedule). */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/v1/admin/checkpoints')
export class CheckpointsController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CHECKPOINT_KEY) private readonly key: KeyObject | null,
  ) {}

  /** Every signed checkpoint, newest first, each with its token: what an auditor checks files against. */
  @Get()
  @Roles('admin', 'agency-auditor')
  async list(@ValidQuery(NoQueryDto) _query: NoQueryDto): Promise<{ checkpoints: CheckpointAnswer[] }> {
    if (!this.store.listCheckpoints) throw new ServiceUnavailableException(SQLITE_ONLY);
    const all = await this.store.listCheckpoints();
    return { checkpoints: all.reverse().map((c) => ({ ...c, token: checkpointToken(c) })) };
  }

  /**
   * Signs the chain's head now, as `ledger checkpoint` does (e.g. before handing a file out): the
   * head's existing checkpoint when it is already signed.
   */
  @Post()
  @Roles('admin')
  async take(): Promise<CheckpointAnswer> {
    if (!this.store.takeCheckpoint) throw new ServiceUnavailableException(SQLITE_ONLY);
    if (!this.key)
      throw new ServiceUnavailableException(
        'no checkpoint signing key: set LEDGER_CHECKPOINT_KEY_FILE to an Ed25519 private key (PEM) and restart',
      );
    const c = await this.store.takeCheckpoint(this.key);
    if (!c)
      throw new ConflictException(
        'nothing to sign: the log is empty, or its last row has no chain hash (run ledger verify)',
      );
    return { ...c, token: checkpointToken(c) };
  }
}
