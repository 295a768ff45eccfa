// Starts @modelcontextprotocol/server-everything (the reference "everything"
// server, from npm) as a child process on 127.0.0.1 and stops it.
//
// The server calls `app.listen(process.env.PORT || 3001, cb)`, i.e. it binds
// every interface. A preload (node --import, below) rewrites a host-less
// listen(port, cb) into listen(port, '127.0.0.1', cb), refuses any other form
// of listen, and prints the bound address so the port can be 0 (the kernel's
// choice, no race). It also refuses outbound fetches that are not loopback or
// data: (the gzip tool fetches a URL from GitHub by default).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const PKG_DIR = dirname(require.resolve('@modelcontextprotocol/server-everything/package.json'));
export const EVERYTHING_DIR = PKG_DIR;
export const EVERYTHING_VERSION = require('@modelcontextprotocol/server-everything/package.json').version;
const ENTRY = join(PKG_DIR, 'dist', 'index.js');
const MARK = 'MCPW_EVERYTHING_LISTENING ';

const PRELOAD = `
import net from 'node:net';
const orig = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const p = args[0];
  if (!((typeof p === 'number' || (typeof p === 'string' && /^\\d+$/.test(p))) && typeof args[1] !== 'string')) {
    throw new Error('everything preload: unexpected listen(' + typeof p + ', ' + typeof args[1] + ')');
  }
  this.once('listening', () => process.stderr.write(${JSON.stringify(MARK)} + JSON.stringify(this.address()) + '\\n'));
  return orig.call(this, Number(p), '127.0.0.1', ...args.slice(1));
};
const origFetch = globalThis.fetch;
globalThis.fetch = function (input, init) {
  let u;
  try { u = new URL(typeof input === 'string' || input instanceof URL ? input : input.url); } catch { u = undefined; }
  if (u && u.protocol !== 'data:' && !['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) {
    return Promise.reject(new TypeError('everything preload: outbound fetch to ' + u.hostname + ' blocked'));
  }
  return origFetch.call(this, input, init);
};
`;

/**
 * Starts the server in `mode` ('streamableHttp' or 'sse'); resolves with
 * { port, url (the MCP endpoint of that mode), log(), stop() } once it listens.
 * Rejects (and kills it) if it is not listening within `readyMs`.
 */
export async function startEverything(mode, { readyMs = 15000 } = {}) {
  const child = spawn(process.execPath, ['--import', 'data:text/javascript,' + encodeURIComponent(PRELOAD), ENTRY, mode], {
    cwd: PKG_DIR,
    env: { ...process.env, PORT: '0', GZIP_ALLOWED_DOMAINS: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,  // its own process group, killed as a whole
  });
  let output = '';
  const keep = (chunk) => { output = (output + chunk).slice(-20000); };
  child.stdout.setEncoding('utf8').on('data', keep);
  child.stderr.setEncoding('utf8');
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const killOnExit = () => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } };
  process.once('exit', killOnExit);  // never outlive the test process
  exited.then(() => process.off('exit', killOnExit));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
      const t = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 2000);
      await exited;
      clearTimeout(t);
    }
  };

  let address;
  try {
    address = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server-everything (${mode}) not listening within ${readyMs} ms:\n${output}`)), readyMs);
      exited.then(({ code, signal }) => { clearTimeout(timer); reject(new Error(`server-everything (${mode}) exited (${code ?? signal}):\n${output}`)); });
      child.stderr.on('data', (chunk) => {
        keep(chunk);
        const line = output.split('\n').find((l) => l.startsWith(MARK));
        if (line) { clearTimeout(timer); resolve(JSON.parse(line.slice(MARK.length))); }
      });
    });
  } catch (e) {
    await stop();
    throw e;
  }
  if (address.address !== '127.0.0.1') {
    await stop();
    throw new Error(`server-everything bound ${address.address}, not 127.0.0.1`);
  }
  const path = mode === 'sse' ? '/sse' : '/mcp';
  return { port: address.port, address, url: `http://127.0.0.1:${address.port}${path}`, log: () => output, stop };
}
