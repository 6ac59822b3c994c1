import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const BASH = spawnSync('bash', ['-c', 'command -v bash'], { encoding: 'utf8' }).stdout.trim();
const which = (tool: string) => spawnSync(BASH, ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();

interface Machine {
  /** What `id -u` answers. */
  readonly uid: number;
  /** Tools on PATH besides the basics the script itself uses. */
  readonly tools?: readonly string[];
  /** node_modules absent (so npm install, and maybe a native build, must run). */
  readonly freshCheckout?: boolean;
  /** apt-get install fails. */
  readonly aptFails?: boolean;
  /** Debian's chromium (the browser tests') is missing too; present otherwise. */
  readonly withoutChromium?: boolean;
  /** pdftotext (poppler-utils) and unzip, which the report tests read packs back with, are missing too; present otherwise. */
  readonly withoutReportTools?: boolean;
}

/**
 * Runs a copy of scripts/test.sh on a stand-in machine: PATH holds only stubs that log their calls
 * (id, apt-get, npm, npx, and the tools asked for) and the few real tools the script uses itself.
 * apt-get "installs" a package by putting a stub of its command on PATH.
 */
function runTestScript(machine: Machine) {
  const dir = mkdtempSync(join(tmpdir(), 'ihl-test-sh-'));
  try {
    const repo = join(dir, 'repo');
    const bin = join(dir, 'bin');
    const log = join(dir, 'calls.log');
    mkdirSync(join(repo, 'scripts'), { recursive: true });
    mkdirSync(bin);
    copyFileSync(join(ROOT, 'scripts/test.sh'), join(repo, 'scripts/test.sh'));
    writeFileSync(join(repo, 'package-lock.json'), '{}');
    if (!machine.freshCheckout) {
      mkdirSync(join(repo, 'node_modules'));
      writeFileSync(join(repo, 'node_modules/.package-lock.json'), '{}');
      // Installed after the lockfile was written: up to date.
      utimesSync(join(repo, 'package-lock.json'), new Date('2024-01-01'), new Date('2024-01-01'));
    }
    for (const tool of ['dirname', 'mkdir', 'cat', 'chmod']) symlinkSync(which(tool), join(bin, tool));
    symlinkSync(process.execPath, join(bin, 'node'));
    const stub = (name: string, body: string) => {
      writeFileSync(join(bin, name), `#!${BASH}\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    const logged = (name: string) => `echo "${name} $*" >> "${log}"`;
    stub('id', `echo ${machine.uid}`);
    stub('npm', `${logged('npm')}`);
    stub('npx', `${logged('npx')}`);
    for (const tool of [
      ...(machine.tools ?? []),
      ...(machine.withoutChromium ? [] : ['chromium']),
      ...(machine.withoutReportTools ? [] : ['pdftotext', 'unzip']),
    ])
      stub(tool, logged(tool));
    const install = `for p in "$@"; do case "$p" in -*|install) ;; *) printf '#!${BASH}\\n' > "${bin}/$p"; chmod 755 "${bin}/$p";; esac; done`;
    stub(
      'apt-get',
      `${logged('apt-get')}\nif [ "$1" = install ] || [ "$3" = install ] || [ "$2" = install ]; then ${
        machine.aptFails ? 'exit 100' : install
      }; fi`,
    );
    const run = spawnSync(BASH, [join(repo, 'scripts/test.sh')], {
      encoding: 'utf8',
      env: { PATH: bin, HOME: dir },
    });
    let calls: string[] = [];
    try {
      calls = readFileSync(log, 'utf8').trim().split('\n').filter(Boolean);
    } catch {
      calls = [];
    }
    return { status: run.status, stdout: run.stdout, stderr: run.stderr, calls };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const firstIndex = (calls: string[], prefix: string) => calls.findIndex((c) => c.startsWith(prefix));

describe('scripts/test.sh (the README test command) sets up what the tests need on a fresh machine', () => {
  it('as root without redis-server: apt-get update, then installs redis-server, before any test runs', () => {
    const r = runTestScript({ uid: 0 });
    expect(r.status).toBe(0);
    const update = r.calls.indexOf('apt-get update -qq');
    const install = r.calls.findIndex((c) => c.startsWith('apt-get install') && / redis-server$/.test(c));
    expect(update).toBeGreaterThanOrEqual(0);
    expect(install).toBeGreaterThan(update);
    // Only what is missing: the build tools are not needed while node_modules is up to date.
    expect(r.calls.filter((c) => c.startsWith('apt-get install'))).toEqual(['apt-get install -y -qq redis-server']);
    expect(firstIndex(r.calls, 'npx jest')).toBeGreaterThan(install);
  });

  it('not root and redis-server missing: says what to install and stops before running anything', () => {
    const r = runTestScript({ uid: 1000 });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/need redis-server/);
    expect(r.stderr).toMatch(/apt-get install redis-server/);
    expect(r.calls).toEqual([]);
  });

  it('as root without chromium: installs it with redis-server, before any test runs', () => {
    const r = runTestScript({ uid: 0, withoutChromium: true });
    expect(r.status).toBe(0);
    const install = r.calls.findIndex((c) => c.startsWith('apt-get install'));
    expect(r.calls[install]).toBe('apt-get install -y -qq redis-server chromium');
    expect(firstIndex(r.calls, 'npx jest')).toBeGreaterThan(install);
    const user = runTestScript({ uid: 1000, tools: ['redis-server'], withoutChromium: true });
    expect(user.status).not.toBe(0);
    expect(user.stderr).toMatch(/apt-get install chromium/);
  });

  it('as root without poppler-utils and unzip: installs them with redis-server, before any test runs', () => {
    const r = runTestScript({ uid: 0, withoutReportTools: true });
    expect(r.status).toBe(0);
    const install = r.calls.findIndex((c) => c.startsWith('apt-get install'));
    expect(r.calls[install]).toBe('apt-get install -y -qq redis-server poppler-utils unzip');
    expect(firstIndex(r.calls, 'npx jest')).toBeGreaterThan(install);
  });

  it('installs nothing when redis-server is there (as after .ci/run)', () => {
    const r = runTestScript({ uid: 0, tools: ['redis-server'] });
    expect(r.status).toBe(0);
    expect(r.calls.filter((c) => c.startsWith('apt-get'))).toEqual([]);
    expect(firstIndex(r.calls, 'npx jest')).toBeGreaterThanOrEqual(0);
  });

  it('a fresh checkout without a compiler: installs the build tools too, before npm install', () => {
    const r = runTestScript({ uid: 0, freshCheckout: true });
    expect(r.status).toBe(0);
    const install = r.calls.findIndex((c) => c.startsWith('apt-get install'));
    expect(r.calls[install]).toBe('apt-get install -y -qq redis-server g++ make python3');
    expect(firstIndex(r.calls, 'npm install')).toBeGreaterThan(install);
    // With the tools present, a fresh checkout installs only node_modules.
    const ready = runTestScript({ uid: 0, freshCheckout: true, tools: ['redis-server', 'g++', 'make', 'python3'] });
    expect(ready.calls.filter((c) => c.startsWith('apt-get'))).toEqual([]);
  });

  it('stops when apt-get cannot install, naming what was needed', () => {
    const r = runTestScript({ uid: 0, aptFails: true });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/could not install redis-server/);
    expect(r.calls.filter((c) => !c.startsWith('apt-get'))).toEqual([]);
  });
});
