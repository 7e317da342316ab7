// A private PostgreSQL cluster for a test that must stop and start the
// database under a running portier (the tier's shared cluster, from
// scripts/with-postgres.sh, cannot be stopped under the other suites).
// Debian's postgresql binaries; a socket directory only, no TCP port. As
// root (CI), the cluster runs as the postgres user, like with-postgres.sh.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, chownSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function binDir() {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'initdb')));
  versions.sort((a, b) => Number(a) - Number(b));
  return versions.length ? join(base, versions.at(-1), 'bin') : null;
}

export const postgresInstalled = () => binDir() !== null;

export class PgCluster {
  // `durable`: fsync on, as in production (benchmarks); tests run without.
  // `settings`: more `-c name=value` server settings.
  constructor({ durable = false, settings = [] } = {}) {
    this.durable = durable;
    this.settings = settings;
    this.bin = binDir();
    this.dir = mkdtempSync(join(tmpdir(), 'portier-pgc-'));
    this.asRoot = process.getuid() === 0;
    if (this.asRoot) {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
      chownSync(this.dir, uid, gid);
    }
    this.port = 5432;
    this.dsn = `host=${this.dir} port=${this.port} user=postgres dbname=postgres`;
  }

  run(tool, args) {
    const cmd = join(this.bin, tool);
    const [file, argv] = this.asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
    return execFileSync(file, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  init() {
    this.run('initdb', ['-D', join(this.dir, 'data'), '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8']);
    return this.start();
  }

  start() {
    this.run('pg_ctl', ['-D', join(this.dir, 'data'), '-l', join(this.dir, 'server.log'), '-w', '-o',
      [`-c listen_addresses='' -k ${this.dir} -p ${this.port}`, this.durable ? '' : '-c fsync=off',
        ...this.settings.map((x) => `-c ${x}`)].join(' '), 'start']);
    return this;
  }

  // "fast": the server ends every session now, as a failover would.
  stop(mode = 'fast') {
    this.run('pg_ctl', ['-D', join(this.dir, 'data'), '-m', mode, '-w', 'stop']);
  }

  // The server processes' CPU time so far, in seconds (from /proc).
  cpuSeconds() {
    const tick = 100;  // USER_HZ on Linux
    let total = 0;
    // The postmaster and its children (backends, writer, WAL writer…).
    const master = readFileSync(join(this.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0].trim();
    let children = '';
    try { children = execFileSync('pgrep', ['-P', master], { encoding: 'utf8' }); } catch { /* none */ }
    const pids = [master, ...children.trim().split('\n').filter(Boolean)];
    for (const pid of pids) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        total += (Number(f[11]) + Number(f[12])) / tick;  // utime + stime
      } catch { /* ended meanwhile */ }
    }
    return total;
  }

  // One statement through psql, its output trimmed.
  psql(sql) {
    return execFileSync('psql', ['-XAtq', this.dsn, '-c', sql], { encoding: 'utf8' }).trim();
  }

  remove() {
    try { this.stop('immediate'); } catch { /* already stopped */ }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
