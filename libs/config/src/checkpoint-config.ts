import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from './ledger-config';

/** Signed checkpoints of the hash chain: the key that signs them stays outside the store. */
export interface CheckpointConfig {
  /** The Ed25519 private key (PEM), read from LEDGER_CHECKPOINT_KEY_FILE. */
  readonly key: KeyObject;
  /** LEDGER_CHECKPOINT_EVERY_EVENTS: a checkpoint after this many events (default 10,000). */
  readonly everyEvents: number;
  /** LEDGER_CHECKPOINT_EVERY_MINUTES: and at this interval when events arrived since (default 60). */
  readonly everyMs: number;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Null when LEDGER_CHECKPOINT_KEY_FILE is unset: no checkpoints are signed (verify still checks the chain). */
export function loadCheckpointConfig(env: Env): CheckpointConfig | null {
  const file = env.LEDGER_CHECKPOINT_KEY_FILE?.trim();
  if (!file) return null;
  return {
    key: readEd25519(file, 'LEDGER_CHECKPOINT_KEY_FILE', 'private'),
    everyEvents: whole(env, 'LEDGER_CHECKPOINT_EVERY_EVENTS', 10_000, 1, 100_000_000),
    everyMs: whole(env, 'LEDGER_CHECKPOINT_EVERY_MINUTES', 60, 1, 10_080) * 60_000,
  };
}

/**
 * The key that checks signatures: `--public-key FILE`, else LEDGER_CHECKPOINT_PUBLIC_KEY_FILE, else the
 * public half of LEDGER_CHECKPOINT_KEY_FILE; null when none is set.
 */
export function loadCheckpointPublicKey(env: Env, flag: string | undefined): KeyObject | null {
  if (flag) return readEd25519(flag, '--public-key', 'public');
  const pub = env.LEDGER_CHECKPOINT_PUBLIC_KEY_FILE?.trim();
  if (pub) return readEd25519(pub, 'LEDGER_CHECKPOINT_PUBLIC_KEY_FILE', 'public');
  const priv = env.LEDGER_CHECKPOINT_KEY_FILE?.trim();
  return priv ? createPublicKey(readEd25519(priv, 'LEDGER_CHECKPOINT_KEY_FILE', 'private')) : null;
}

function readEd25519(file: string, variable: string, kind: 'private' | 'public'): KeyObject {
  let key: KeyObject;
  try {
    const pem = readFileSync(file, 'utf8');
    key = kind === 'private' ? createPrivateKey(pem) : createPublicKey(pem);
  } catch {
    throw new ConfigError(variable, `must name a readable PEM file holding an Ed25519 ${kind} key (${file})`);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new ConfigError(variable, `must hold an Ed25519 ${kind} key, not ${key.asymmetricKeyType ?? 'another kind'}`);
  }
  return key;
}

function whole(env: Env, name: string, fallback: number, min: number, max: number): number {
  const v = env[name]?.trim();
  if (!v) return fallback;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max} (got "${v}")`);
  }
  return Number(v);
}
