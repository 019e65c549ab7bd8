#!/usr/bin/env node
// Entry point of the `kvlab` command. kvlab targets Node.js 24, which runs the TypeScript sources
// directly (type stripping), so there is no build step between a checkout and a working CLI.
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  process.stderr.write(
    `kvlab needs Node.js 24 or newer (this is ${process.version}).\n` +
      'Run it through npm (`npm start`, `npx kvlab …`), which uses the Node 24 installed by `npm ci`, or install Node 24.\n',
  );
  process.exit(2);
}
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
