#!/usr/bin/env node
// Entry point of the `kvlab` command. kvlab targets Node.js 24, which runs the TypeScript sources
// directly (type stripping), so there is no build step between a checkout and a working CLI.
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) await runOnPinnedNode();
// Cache compiled code on disk between runs: a CLI start-up is dominated by loading code. Built-ins come from
// process.getBuiltinModule: `import()` of one builds its ESM facade, which evaluates every getter (node:fs: streams).
const { enableCompileCache } = process.getBuiltinModule('node:module');
enableCompileCache?.();
const { main } = await import((await bundledCli()) ?? '../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));

/**
 * The one-shot commands run from the bundle scripts/build-cli.ts makes (at `npm ci`, or here when a source file
 * changed since): a few files to load instead of hundreds. The long-running ones (serve, sim, slack-send) and
 * KVLAB_BUNDLE=off run from the sources, as does everything when esbuild is not installed.
 */
async function bundledCli() {
  const command = process.argv[2];
  if (process.env.KVLAB_BUNDLE === 'off' || !['diagnose', 'status', 'explain', 'lint', 'help'].includes(command))
    return undefined;
  const { readFileSync, statSync } = process.getBuiltinModule('node:fs');
  const root = new URL('../', import.meta.url);
  // Plain paths: ~1 ms less than URLs for the ~140 stat calls.
  const rootPath = process.getBuiltinModule('node:url').fileURLToPath(root);
  try {
    const manifest = JSON.parse(readFileSync(`${rootPath}dist/cli/current.json`, 'utf8'));
    const fresh = Object.entries(manifest.inputs).every(([file, [mtimeMs, size]]) => {
      const s = statSync(`${rootPath}${file}`, { throwIfNoEntry: false });
      return s !== undefined && s.mtimeMs === mtimeMs && s.size === size;
    });
    if (fresh) return new URL(`dist/cli/${manifest.dir}/${manifest.entry}`, root).href;
  } catch {
    // no build yet
  }
  try {
    const { buildCli } = await import('../scripts/build-cli.ts');
    return await buildCli();
  } catch {
    return undefined;
  }
}

/**
 * On an older Node.js (a `kvlab` linked onto PATH runs on whatever `node` comes first there), run this same command
 * on the Node 24 that `npm ci` installed for the project (the `node` devDependency), as `npx` would, without npm's
 * half second of start-up: stdio inherited, SIGTERM passed on, its exit code or signal ours.
 * Without that Node (a production install) say what to do.
 */
async function runOnPinnedNode() {
  const { existsSync } = await import('node:fs');
  const { fileURLToPath } = await import('node:url');
  const pinned = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url));
  if (process.env.KVLAB_PINNED_NODE === '1' || !existsSync(pinned)) {
    process.stderr.write(
      `kvlab needs Node.js 24 or newer (this is ${process.version}).\n` +
        'Run `npm ci` in the kvlab checkout (it installs Node 24 for kvlab), or install Node 24.\n',
    );
    process.exit(2);
  }
  const { spawn } = await import('node:child_process');
  const child = spawn(pinned, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, KVLAB_PINNED_NODE: '1' },
  });
  // A terminal's Ctrl-C (SIGINT) and hang-up (SIGHUP) reach the whole foreground process group, the child too: passing
  // them on would deliver them twice (a second SIGINT ends `kvlab sim` at once, without its graceful stop), so they
  // are only kept from ending this process first. SIGTERM is sent to one process (kill, a supervisor): passed on.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const pass = (signal) => {
    if (signal === 'SIGTERM') child.kill(signal);
  };
  for (const signal of signals) process.on(signal, pass);
  child.on('error', (err) => {
    process.stderr.write(`kvlab: could not start Node 24 (${pinned}): ${err.message}\n`);
    process.exit(2);
  });
  const [code, signal] = await new Promise((resolve) => child.on('exit', (...end) => resolve(end)));
  for (const s of signals) process.off(s, pass);
  if (signal) process.kill(process.pid, signal);
  process.exit(code ?? 1);
}
