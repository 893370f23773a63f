// Starts the real cylch-server on an ephemeral port with a temporary database, serving the
// built client (dist/), and stops it again.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isComplete, parseServerOutput } from './server_output.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const webClientDir = resolve(here, '..', '..');
export const repoDir = resolve(webClientDir, '..');
export const serverBinary = process.env.CYLCH_SERVER_BIN ?? join(repoDir, 'build', 'server', 'cylch-server');
export const templateFile = join(repoDir, 'deploy', 'templates', 'persona-validation.json');
export const ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdef';

/**
 * @param {{ imports?: string[] }} [opts]
 * @returns {Promise<{ baseUrl: string, workshops: { id: string, code: string, facilitatorToken: string, presenterToken: string }[], stop: () => Promise<void>, logs: () => string }>}
 */
export async function startServer(opts = {}) {
  const imports = opts.imports ?? [templateFile];
  if (!existsSync(serverBinary)) throw new Error(`cylch-server not found at ${serverBinary} (set CYLCH_SERVER_BIN)`);
  const dist = join(webClientDir, 'dist');
  if (!existsSync(join(dist, 'index.html'))) throw new Error('dist/ is missing: run `npm run build` first');
  const dir = mkdtempSync(join(tmpdir(), 'cylch-e2e-'));
  const tokenFile = join(dir, 'admin-token');
  writeFileSync(tokenFile, `${ADMIN_TOKEN}\n`, { mode: 0o600 });
  const args = ['--bind', '127.0.0.1', '--port', '0', '--db', join(dir, 'e2e.db'), '--web-root', dist];
  for (const f of imports) args.push('--import', f);
  args.push('--admin-token-file', tokenFile, '--flush-ms', '50');
  const child = spawn(serverBinary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d) => (err += d));
  const exited = new Promise((res) => child.once('exit', (code, signal) => res({ code, signal })));

  const parsed = await new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`server did not start in 15 s:\n${out}\n${err}`)), 15_000);
    const check = () => {
      const p = parseServerOutput(out);
      if (isComplete(p, imports.length)) {
        clearTimeout(timer);
        res(p);
      }
    };
    child.stdout.on('data', check);
    exited.then(({ code }) => {
      clearTimeout(timer);
      rej(new Error(`server exited (${code}) before it was ready:\n${out}\n${err}`));
    });
    check();
  });

  return {
    baseUrl: parsed.baseUrl,
    workshops: parsed.workshops,
    logs: () => `${out}\n${err}`,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(t);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Adds a staff account through the API with the admin token (throws unless 201). */
export async function addUser(server, name, role, password) {
  const res = await fetch(`${server.baseUrl}/api/users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, role, password }),
  });
  if (res.status !== 201) throw new Error(`adding ${name}: ${res.status} ${await res.text()}`);
}
