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
// Cache compiled code on disk between runs: a CLI start-up is dominated by loading the Kubernetes and Azure clients.
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
