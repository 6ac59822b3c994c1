import type { JsonValue, StoredEvent } from '../event-store.port';

/** Turns the data of one schema version of a type into the next version's shape. */
export type Upcaster = (data: JsonValue) => JsonValue;

/**
 * Stored type names are never renamed; a breaking change bumps the schema version and registers an
 * upcaster from the old version, so code only ever sees the latest shape.
 */
export class UpcasterRegistry {
  private readonly steps = new Map<string, Map<number, Upcaster>>();
  private readonly latest = new Map<string, number>();

  register(type: string, fromVersion: number, upcast: Upcaster): this {
    let byVersion = this.steps.get(type);
    if (!byVersion) this.steps.set(type, (byVersion = new Map()));
    if (byVersion.has(fromVersion)) throw new Error(`an upcaster for ${type} v${fromVersion} is already registered`);
    byVersion.set(fromVersion, upcast);
    this.latest.set(type, Math.max(this.latest.get(type) ?? 1, fromVersion + 1));
    return this;
  }

  latestVersion(type: string): number {
    return this.latest.get(type) ?? 1;
  }

  upcast(event: Pick<StoredEvent, 'type' | 'schemaVersion' | 'data'>): {
    type: string;
    schemaVersion: number;
    data: JsonValue;
  } {
    const target = this.latestVersion(event.type);
    if (event.schemaVersion > target) {
      throw new Error(
        `${event.type} v${event.schemaVersion} is newer than this code knows (v${target}): upgrade before reading`,
      );
    }
    let data = event.data;
    for (let v = event.schemaVersion; v < target; v++) {
      const step = this.steps.get(event.type)?.get(v);
      if (!step) throw new Error(`no upcaster for ${event.type} from v${v}`);
      data = step(data);
    }
    return { type: event.type, schemaVersion: target, data };
  }
}
