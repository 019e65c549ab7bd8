/**
 * kvlab command line: parses the subcommand and hands the rest to one module per command.
 * Exit codes follow docs/contracts.md "Command line": 0 ok, 1 problems found, 2 usage or configuration error,
 * 3 inconclusive (a dependency could not be reached).
 */
import { ConfigError, UserInputError } from '../../diagnostics/errors.ts';
import { COMMAND_USAGE, EXIT, UsageError, wantsHelp } from './usage.ts';
import { endQuietlyOnClosedStdout, writeOut } from './write-out.ts';

export const USAGE = `kvlab — why are my Azure Key Vault secrets not mounted?

Usage:
  kvlab diagnose <pod> [-n <namespace>] [--context <kubecontext>] [--json] [--fix] [--replay replay|off]
                              find out why the pod's Key Vault secrets are (not) mounted
  kvlab lint <file|-> [--json] [--profile provider|lab]
                              lint SecretProviderClass / Pod / ServiceAccount manifests
  kvlab explain <message|-> [--json]
                              classify one error message from events or logs
  kvlab sim [--scenario <name>] [--bot] [--kubeconfig <file>] [--env-out <file>] [--state-dir <dir>]
            [--audit-log <file>] [--latency <ms>] [--class-size <n>]
                              start the simulated classroom (Kubernetes API, Entra ID, Key Vault)
  kvlab serve [--role all|receiver|worker|watcher]
                              run the Slack bot (settings from the environment, see README)
  kvlab slack-send --as <user> --channel <channel> "/kvlab …"
                              type a slash command into the simulated Slack (after \`kvlab sim\`)
  kvlab status <class> [--json] [--context <kubecontext>]
                              every student's progress and blocker (roster from KVLAB_CONFIG)
  kvlab help                  show this text; \`kvlab <command> --help\` shows one command's options

Exit codes: 0 ok, 1 problems found, 2 usage or configuration error, 3 inconclusive.`;

type Command = (args: string[]) => Promise<number>;

/** Loaded on demand: the Kubernetes and Azure clients alone take most of a second to import. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  diagnose: async () => (await import('./diagnose-command.ts')).runDiagnoseCommand,
  explain: async () => (await import('./explain-command.ts')).runExplainCommand,
  lint: async () => (await import('./lint-command.ts')).runLintCommand,
  serve: async () => (await import('./serve-command.ts')).runServeCommand,
  sim: async () => (await import('./sim-command.ts')).runSimCommand,
  'slack-send': async () => (await import('./slack-send-command.ts')).runSlackSendCommand,
  status: async () => (await import('./status-command.ts')).runStatusCommand,
};

/** The commands that write through `writeOut` (src/cli/write-out.ts); the others stream to process.stdout. */
const ONE_SHOT = new Set(['diagnose', 'explain', 'lint', 'status', 'help', '--help', '-h']);

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name !== undefined && !ONE_SHOT.has(name)) endQuietlyOnClosedStdout();
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    writeOut(`${USAGE}\n`);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`kvlab: unknown command "${name}". Run \`kvlab help\` for the list of commands.\n`);
    return EXIT.usage;
  }
  if (wantsHelp(rest) && COMMAND_USAGE[name]) {
    writeOut(`${COMMAND_USAGE[name]}\n`);
    return EXIT.ok;
  }
  try {
    const command = await load();
    return await command(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`kvlab ${name}: ${err.message}\nRun \`kvlab ${name} --help\` for its usage.\n`);
      return EXIT.usage;
    }
    if (err instanceof ConfigError || err instanceof UserInputError) {
      process.stderr.write(`kvlab ${name}: ${err.message}\n`);
      return EXIT.usage;
    }
    // Anything else means kvlab could not finish: say what happened, no stack trace, exit "inconclusive".
    process.stderr.write(`kvlab ${name}: could not finish: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.inconclusive;
  }
}
