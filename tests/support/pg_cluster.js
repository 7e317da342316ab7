// A private PostgreSQL cluster for a test that must stop and start the
// database under a running portier (the tier's shared cluster, from
// scripts/with-postgres.sh, cannot be stopped under the other suites).
// Debian's postgresql binaries; a socket directory only, no TCP port. As
// root (CI), the cluster runs as the postgres user, like with-postgres.sh.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, chownSync } from 'node:fs';
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
  constructor() {
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
      `-c listen_addresses='' -k ${this.dir} -p ${this.port} -c fsync=off`, 'start']);
    return this;
  }

  // "fast": the server ends every session now, as a failover would.
  stop(mode = 'fast') {
    this.run('pg_ctl', ['-D', join(this.dir, 'data'), '-m', mode, '-w', 'stop']);
  }

  remove() {
    try { this.stop('immediate'); } catch { /* already stopped */ }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
