import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface EsdbStandInProcess {
  readonly connectionString: string;
  stop(): Promise<void>;
}

/** The ESDB stand-in served by a child process (esdb-stand-in.child.ts), so this thread may block on it. */
export async function startEsdbStandInProcess(): Promise<EsdbStandInProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'esdb-stand-in.child.ts')], {
    cwd: join(__dirname, '../..'),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const connectionString = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the stand-in did not start: ${out}`)), 30_000);
    child.once('exit', (code) => reject(new Error(`the stand-in exited (${code}): ${out}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = /^(esdb:\/\/\S+)\n/.exec(out);
      if (line) {
        clearTimeout(timer);
        resolve(line[1]!);
      }
    });
  });
  return {
    connectionString,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin!.end();
      }),
  };
}
