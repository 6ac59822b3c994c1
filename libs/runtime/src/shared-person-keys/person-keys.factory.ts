import { join } from 'node:path';
import { PersonKeyStore, SharedPersonKeyStore, type PersonKeys } from '@ihl/privacy';
import { EsdbErasureFollower } from './esdb-erasure-follower';
import { EsdbKeyDirectory } from './esdb-key-directory';

export interface PersonKeysSettings {
  readonly dataDir: string;
  readonly masterKey: Buffer;
  /**
   * LEDGER_PERSON_KEYS=eventstore: the EventStoreDB / KurrentDB the keys are shared on (several
   * replicas); unset: the key file `DATA_DIR/person-keys.sqlite` of this machine.
   */
  readonly sharedOn?: string | undefined;
}

/**
 * The person-key store this process uses. Shared: keys on the cluster, each replica's copies in
 * memory dropped when an erasure event arrives from any replica (followed from the log's head at
 * start, read before any key is fetched, so none made after it is missed).
 */
export function openPersonKeys(settings: PersonKeysSettings): PersonKeys {
  if (!settings.sharedOn) {
    return new PersonKeyStore({ file: join(settings.dataDir, 'person-keys.sqlite'), masterKey: settings.masterKey });
  }
  const directory = new EsdbKeyDirectory(settings.sharedOn);
  let follower: EsdbErasureFollower | undefined;
  try {
    const head = directory.head();
    const store = new SharedPersonKeyStore({
      directory,
      masterKey: settings.masterKey,
      onClose: () => void follower?.close(),
      followerState: () => follower?.state ?? null,
    });
    follower = new EsdbErasureFollower(settings.sharedOn, head, (pseudonym) => store.forget(pseudonym));
    return store;
  } catch (e) {
    directory.close();
    throw e;
  }
}
