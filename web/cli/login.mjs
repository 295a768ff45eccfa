// OAuth for the CLI: tokens in a 0600 file under the user's config directory,
// the sign-in page opened in the system browser (or MCP_WASM_BROWSER), the
// redirect caught by a listener on 127.0.0.1 (RFC 8252 §7.3 loopback redirect).
import { createServer } from 'node:http';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, renameSync, chmodSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const STORAGE_PREFIX = 'mcpw.oauth.v1';

/// $XDG_CONFIG_HOME/mcp-wasm, else ~/.config/mcp-wasm.
export function configDir(env = process.env) {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'mcp-wasm');
}

/// An `oauth.storage` kept in one JSON file (0600, written whole then renamed).
export function fileStorage(dir = configDir()) {
  const file = join(dir, 'tokens.json');
  const read = () => {
    try {
      const v = JSON.parse(readFileSync(file, 'utf8'));
      return v && typeof v === 'object' && !Array.isArray(v) ? v : {};
    } catch { return {}; }
  };
  const write = (all) => {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(all, null, 2) + '\n', { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, file);
  };
  return {
    file,
    get: (k) => read()[k] ?? null,
    set: (k, v) => { const all = read(); all[k] = v; write(all); },
    delete: (k) => { const all = read(); if (k in all) { delete all[k]; write(all); } },
    /// Stored tokens for this MCP server URL?
    hasTokens: (url) => read()[`${STORAGE_PREFIX}.tokens|${url}`] != null,
    /// Forgets this server's tokens (registrations stay: they hold no secret of the user).
    forget: (url) => { const all = read(); const k = `${STORAGE_PREFIX}.tokens|${url}`; const had = k in all; delete all[k]; if (had) write(all); return had; },
  };
}

/// The command that opens a URL: MCP_WASM_BROWSER (the URL as last argument), else the platform's.
export function browserCommand(env = process.env, platform = process.platform) {
  if (env.MCP_WASM_BROWSER) return env.MCP_WASM_BROWSER.split(/\s+/).filter(Boolean);
  if (platform === 'darwin') return ['open'];
  if (platform === 'win32') return ['cmd', '/c', 'start', '""'];
  return ['xdg-open'];
}

function openBrowser(url, env, onError) {
  const [cmd, ...args] = browserCommand(env);
  try {
    const child = spawn(cmd, [...args, url], { stdio: 'ignore', detached: false });
    child.on('error', (e) => onError(`could not start ${cmd} (${e.code ?? e.message}); open the URL yourself`));
    child.unref();
  } catch (e) {
    onError(`could not start ${cmd} (${e.message}); open the URL yourself`);
  }
}

const PAGE = (msg) => `<!doctype html><meta charset="utf-8"><title>mcp-wasm</title><p>${msg}</p>`;

/// A loopback listener for the redirect: {redirectUri, onAuthorize(url), close()}.
/// onAuthorize opens the browser and resolves with the callback URL (null after timeoutMs).
export async function loopbackRedirect({ port = 0, timeoutMs = 300_000, env = process.env, log = () => {} } = {}) {
  let waiting = null;   // {resolve, state}
  const server = createServer((req, res) => {
    const u = new URL(req.url, 'http://127.0.0.1');
    if (u.pathname !== '/callback' || !waiting) {
      res.writeHead(404, { 'content-type': 'text/html' }).end(PAGE('Nothing here.'));
      return;
    }
    if (waiting.state && u.searchParams.get('state') !== waiting.state) {
      res.writeHead(400, { 'content-type': 'text/html' }).end(PAGE('This sign-in link is not the one mcp-wasm started.'));
      return;
    }
    const ok = !u.searchParams.has('error');
    res.writeHead(200, { 'content-type': 'text/html' })
      .end(PAGE(ok ? 'Signed in. You can close this tab and go back to the terminal.' : 'Sign-in was refused. You can close this tab.'));
    const w = waiting;
    waiting = null;
    w.resolve(`${redirectUri}${u.search}`);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const redirectUri = `http://127.0.0.1:${server.address().port}/callback`;
  return {
    redirectUri,
    onAuthorize(url) {
      return new Promise((resolve) => {
        const timer = setTimeout(() => { waiting = null; resolve(null); }, timeoutMs);
        let state = null;
        try { state = new URL(url).searchParams.get('state'); } catch { /* the core built it */ }
        waiting = { state, resolve: (v) => { clearTimeout(timer); resolve(v); } };
        log(`Opening the sign-in page in your browser. If it does not open, visit:\n  ${url}`);
        openBrowser(url, env, log);
      });
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
