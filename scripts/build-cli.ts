/**
 * Builds the bundled CLI that `bin/kvlab.js` runs for the one-shot commands (diagnose, status, explain, lint):
 * src/cli/main.ts and everything it loads, node_modules included, as a few ES modules in
 * `dist/cli/<build>/`, code-split so each command loads only its own part. A new process then reads a handful of
 * files instead of resolving, reading and type-stripping hundreds (bench/README.md has the figures).
 *
 * Runs from `npm ci` / `npm install` (the `prepare` script) and, when the sources changed since, from
 * `bin/kvlab.js` at the next run — never as a manual step. `dist/cli/current.json` names the build and every
 * project file it was made from, with its mtime and size; bin/kvlab.js rebuilds when one differs. Each build goes
 * to a fresh directory and current.json is replaced atomically, so concurrent first runs cannot see half a build.
 * Without esbuild (a production install, `npm ci --omit=dev`) it does nothing: the CLI runs from the sources.
 */
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'dist', 'cli');
/** Files outside the module graph whose change makes a build stale (dependencies, this build itself). */
const ALSO_WATCHED = ['package.json', 'package-lock.json', 'scripts/build-cli.ts'];
/** esbuild namespace of the built-in modules imported without their ESM facade (see builtinsWithoutEsmFacade). */
const BUILTIN_NAMESPACE = 'kvlab-builtin';
/** Builds kept besides the current one, for processes still loading an older build. */
const KEEP = 2;

export interface BuildManifest {
  dir: string;
  entry: string;
  inputs: Record<string, [mtimeMs: number, size: number]>;
}

/** The build's entry as a file URL, or undefined when esbuild or the sources are not there. */
export async function buildCli(): Promise<string | undefined> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    return undefined;
  }
  const main = join(ROOT, 'src', 'cli', 'main.ts');
  try {
    statSync(main);
  } catch {
    return undefined; // `npm ci` before the sources were copied (Docker's dependency layer)
  }
  const id = `${Date.now().toString(36)}-${process.pid}`;
  const dir = join(OUT, id);
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [main],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    outdir: dir,
    metafile: true,
    logLevel: 'error',
    minifySyntax: true,
    minifyWhitespace: true,
    legalComments: 'none',
    // CommonJS dependencies call require() for Node built-ins; an ES module has none of its own.
    banner: {
      js: "import { createRequire as __kvlabRequire } from 'node:module'; const require = __kvlabRequire(import.meta.url);",
    },
    plugins: [
      builtinsWithoutEsmFacade(),
      formDataCheckWithoutUndici(),
      jsonWebTokenOnFirstUse(),
      {
        // The long-running commands run from the sources (bin/kvlab.js never sends them here): kept out of the bundle.
        name: 'kvlab-sources',
        setup(build) {
          build.onResolve({ filter: /\/(serve|sim|slack-send)-command\.ts$/ }, (args) => ({
            path: relative(dir, join(args.resolveDir, args.path)),
            external: true,
          }));
        },
      },
    ],
  });
  const inputs: BuildManifest['inputs'] = {};
  for (const file of [...Object.keys(result.metafile.inputs), ...ALSO_WATCHED]) {
    // Dependencies, and the plugins' virtual modules (`<namespace>:<path>`): no file of the project to watch.
    if (file.includes('node_modules/') || /^[a-z-]+:/.test(file)) continue;
    const s = statSync(join(ROOT, file));
    inputs[file] = [s.mtimeMs, s.size];
  }
  const manifest: BuildManifest = { dir: id, entry: 'main.js', inputs };
  const tmp = join(OUT, `current.json.${id}`);
  writeFileSync(tmp, JSON.stringify(manifest));
  renameSync(tmp, join(OUT, 'current.json'));
  prune(id);
  return pathToFileURL(join(dir, 'main.js')).href;
}

/**
 * `import … from 'node:http'` in an ES module makes Node build the module's ESM facade, which reads every export —
 * getters included: node:http's WebSocket/CloseEvent/MessageEvent load undici (46 ms against 7 ms for the module
 * itself on the development machine), node:fs's stream classes its streams, deprecated ones print warnings. Here
 * such imports read the CommonJS module object (`process.getBuiltinModule`) and export its plain properties and the
 * few getters imported by name; importing another getter fails the build (esbuild: "No matching export"), so it
 * cannot go unnoticed. `require()` of built-ins (CommonJS dependencies) is untouched.
 */
function builtinsWithoutEsmFacade(): import('esbuild').Plugin {
  const IMPORTED_GETTERS = new Set(['promises', 'webcrypto', 'subtle', 'rootCertificates']);
  const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
  return {
    name: 'kvlab-builtins-without-esm-facade',
    setup(build) {
      build.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) => {
        if (args.kind !== 'import-statement' && args.kind !== 'dynamic-import') return undefined;
        const name = args.path.startsWith('node:') ? args.path : `node:${args.path}`;
        if (!isBuiltin(name)) return undefined;
        return { path: name, namespace: BUILTIN_NAMESPACE };
      });
      build.onLoad({ filter: /.*/, namespace: BUILTIN_NAMESPACE }, (args) => {
        const module = process.getBuiltinModule(args.path) as object;
        const names = Object.entries(Object.getOwnPropertyDescriptors(module))
          .filter(([key, d]) => IDENTIFIER.test(key) && key !== 'default' && (!d.get || IMPORTED_GETTERS.has(key)))
          .map(([key]) => key);
        const lines = [
          `const m = process.getBuiltinModule(${JSON.stringify(args.path)});`,
          'export default m;',
          // Pure, so esbuild drops the exports nothing imports (node:util's diff and setTraceSigInt getters load
          // assert's diff and worker_threads: ~7 ms of an explain).
          ...names.map((key) => `export const ${key} = /* @__PURE__ */ (() => m.${key})();`),
        ];
        return { contents: `${lines.join('\n')}\n`, loader: 'js' };
      });
    },
  };
}

/**
 * The Azure SDKs' HTTP pipeline asks `typeof FormData !== "undefined" && body instanceof FormData` of every request
 * body (@typespec/ts-http-runtime). FormData is one of Node's lazily loaded globals: reading it loads undici, ~40 ms
 * of CPU in a new process, on the replay's critical path, for bodies that are strings. Here the check first asks
 * whether the body says it is a FormData (`Symbol.toStringTag`, which every FormData has), so the global is read —
 * and undici loaded — only for a body that may be one; the answer is the same for every body. When a new version
 * words the check differently nothing is replaced; test/perf/cli-no-undici.test.ts then fails.
 */
function formDataCheckWithoutUndici(): import('esbuild').Plugin {
  const CHECK = 'typeof FormData !== "undefined" && body instanceof FormData';
  const LAZY =
    '(typeof body === "object" && body !== null && body[Symbol.toStringTag] === "FormData" && typeof FormData !== "undefined" && body instanceof FormData)';
  return {
    name: 'kvlab-form-data-check-without-undici',
    setup(build) {
      build.onLoad({ filter: /[\\/]@typespec[\\/]ts-http-runtime[\\/]dist[\\/]esm[\\/].*\.js$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        return source.includes(CHECK) ? { contents: source.replaceAll(CHECK, LAZY), loader: 'js' } : undefined;
      });
    },
  };
}

/**
 * msal-node imports jsonwebtoken for one thing: signing the client assertion of a *certificate* credential
 * (`ClientAssertion.getJwt` calls `jwt.sign`). kvlab's credentials are federated (the pod's own token is the
 * assertion) or secrets, so that code never runs — but evaluating jsonwebtoken and the semver it loads costs a new
 * process ~7–13 ms while round two of the reads travels. Here msal-node's import gets a module whose `sign` loads
 * the real one on first use; esbuild keeps the real one in the bundle, evaluated only then. When msal-node uses
 * anything else of it the build fails (esbuild: "No matching export"), so that cannot go unnoticed.
 */
export function jsonWebTokenOnFirstUse(): import('esbuild').Plugin {
  const NAMESPACE = 'kvlab-jsonwebtoken-on-first-use';
  return {
    name: NAMESPACE,
    setup(build) {
      build.onResolve({ filter: /^jsonwebtoken$/ }, (args) =>
        args.kind === 'import-statement' && /[\\/]@azure[\\/]msal-node[\\/]/.test(args.importer)
          ? { path: 'jsonwebtoken', namespace: NAMESPACE, pluginData: { resolveDir: args.resolveDir } }
          : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
        contents: [
          'let real;',
          "const load = () => (real ??= require('jsonwebtoken'));",
          'export const sign = (...args) => load().sign(...args);',
          'export default { sign };',
        ].join('\n'),
        loader: 'js',
        resolveDir: (args.pluginData as { resolveDir: string }).resolveDir,
      }));
    },
  };
}

function prune(current: string): void {
  try {
    const builds = readdirSync(OUT, { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name !== current)
      .map((d) => ({ name: d.name, at: statSync(join(OUT, d.name)).mtimeMs }))
      .sort((a, b) => b.at - a.at);
    for (const old of builds.slice(KEEP)) rmSync(join(OUT, old.name), { recursive: true, force: true });
  } catch {
    // another process pruned at the same time
  }
}

if (import.meta.main) {
  // From `npm ci`: a failed build must not fail the install — the CLI then builds at its next run or uses the sources.
  try {
    const entry = await buildCli();
    process.stderr.write(entry ? `kvlab: bundled CLI built (${relative(ROOT, fileURLToPath(entry))})\n` : '');
  } catch (err) {
    process.stderr.write(
      `kvlab: the bundled CLI was not built (${(err as Error).message.split('\n')[0]}); running from the sources\n`,
    );
  }
}
