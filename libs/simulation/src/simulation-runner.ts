import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { RegisterProjectCommand, type Actor, type Clock, type RequestContext } from '@ihl/application';
import { SqliteEventStore } from '@ihl/event-store';
import { LedgerCoreModule } from '@ihl/runtime';
import { join } from 'node:path';
import { ADMIN, commandOf } from './simulation-commands';
import type { PlannedFigures, SimulationPlan } from './simulation-plan';

/** Bump whenever the commands a seed and scale send change: it is part of the demo's cache key. */
export const SIMULATOR_VERSION = 2;
/** Commands on distinct streams in flight at once: their appends share the store's group commits. */
const WIDTH = 32;

export interface SimulationSummary {
  readonly simulatorVersion: number;
  readonly scale: number;
  readonly seed: number;
  readonly until: string;
  readonly events: number;
  readonly commands: number;
  readonly seconds: number;
  readonly envelopeCents: number;
  readonly targetPersons: number;
  readonly figures: PlannedFigures;
}

/** The simulated day's clock: it only moves forward, 1 ms per reading so recording times stay ordered. */
class SimulatedClock implements Clock {
  private t = 0;
  now(): Date {
    this.t += 1;
    return new Date(this.t);
  }
  moveTo(instant: string): void {
    this.t = Math.max(this.t, Date.parse(instant));
  }
}

export interface SimulationTarget {
  /** A DATA_DIR without a ledger yet: events.sqlite and person-keys.sqlite are written there. */
  readonly dataDir: string;
  readonly privacy: { readonly pseudonymKeyring: string; readonly profileMasterKey: string };
  /** False: every commit fsynced, as a ledger's (default: unsynced until the end, see SqliteEventStoreOptions). */
  readonly unsynced?: boolean;
}

/**
 * Sends the plan's commands on the application's CommandBus (the validation the API applies), with
 * the clock on each step's simulated instant; any refused command stops the run with its error.
 */
export async function runSimulation(
  plan: SimulationPlan,
  target: SimulationTarget,
  progress: (line: string) => void = () => undefined,
): Promise<SimulationSummary> {
  const started = performance.now();
  const clock = new SimulatedClock();
  // A simulated log that crashes is simply simulated again: no fsync per commit, one at the end (close).
  const store = new SqliteEventStore({
    file: join(target.dataDir, 'events.sqlite'),
    clock: () => clock.now(),
    unsyncedUntilClose: target.unsynced !== false,
  });
  try {
    if ((await store.headPosition()) > 0)
      throw new Error(`${target.dataDir} holds a ledger already: simulate writes a fresh one`);
    const app = await NestFactory.createApplicationContext(
      LedgerCoreModule.forRoot({
        dataDir: target.dataDir,
        eventStore: store,
        clock,
        readModels: false,
        privacy: target.privacy,
      }),
      { logger: false },
    );
    try {
      const commands = await sendAll(plan, app.get(CommandBus), clock, progress);
      return {
        simulatorVersion: SIMULATOR_VERSION,
        ...plan.options,
        events: await store.headPosition(),
        commands,
        seconds: Math.round((performance.now() - started) / 100) / 10,
        envelopeCents: plan.definition.envelopeCents,
        targetPersons: plan.definition.targets.find((t) => t.indicator === 'unique-persons-reached')?.value ?? 0,
        figures: plan.figures,
      };
    } finally {
      await app.close();
    }
  } finally {
    await store.close();
  }
}

async function sendAll(plan: SimulationPlan, bus: CommandBus, clock: SimulatedClock, progress: (line: string) => void) {
  const code = plan.definition.code;
  let sent = 0;
  const ctx = (actor: Actor): RequestContext => ({ actor, correlationId: `simulation-${plan.options.seed}-${++sent}` });
  clock.moveTo(`${plan.definition.period.start}T08:00:00Z`);
  await bus.execute(new RegisterProjectCommand(plan.definition, ctx(ADMIN)));
  let month = '';
  for (const group of plan.groups) {
    clock.moveTo(group.at);
    const width = group.concurrent ? WIDTH : 1;
    for (let i = 0; i < group.steps.length; i += width) {
      await Promise.all(group.steps.slice(i, i + width).map((s) => bus.execute(commandOf(code, s, ctx))));
    }
    if (group.at.slice(0, 7) !== month) {
      month = group.at.slice(0, 7);
      progress(`  ${month}: ${sent} commands sent`);
    }
  }
  return sent;
}
