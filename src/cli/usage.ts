/**
 * Exit codes, per-command usage and the argument parser shared by every subcommand (docs/contracts.md "CLI").
 * `kvlab <command> --help` prints {@link COMMAND_USAGE}[command]; a bad option is a {@link UsageError} naming it,
 * and main.ts adds the pointer to `kvlab <command> --help`.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';

export const EXIT = { ok: 0, problems: 1, usage: 2, inconclusive: 3 } as const;

/** Bad arguments or configuration: the message says what is wrong and what to do; exit code 2. */
export class UsageError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/** Each command's own usage, printed by `kvlab <command> --help` (or `-h`). */
export const COMMAND_USAGE: Record<string, string> = {
  diagnose: `Usage: kvlab diagnose <pod> [-n <namespace>] [--context <kubecontext>] [--json] [--fix] [--replay replay|off]

Finds out why the pod's Key Vault secrets are (not) mounted: CSI driver, CRD, SecretProviderClass, the pod and
its events, the ServiceAccount, a replay of the mount's Key Vault access, the synced Secrets.

  -n, --namespace <ns>    the pod's namespace (default: the kubeconfig context's)
  --context <ctx>         kubeconfig context to use
  --json                  print one JSON document (docs/contracts.md)
  --fix                   also print each problem's ready patch (the JSON always carries it)
  --replay replay|off     replay the mount's Key Vault access (default replay; also KVLAB_REPLAY)

Exit codes: 0 healthy, 1 broken, 2 usage/configuration error or no such pod, 3 inconclusive.`,
  lint: `Usage: kvlab lint <file|-> … [--json] [--profile provider|lab]

Lints SecretProviderClass, Pod and ServiceAccount manifests (multi-document YAML; "-" reads standard input).

  --json                  print one JSON document (docs/contracts.md)
  --profile provider      judge by what the Azure provider and the CSI driver reject (default)
  --profile lab           also warn where the lab's conventions are not followed (workload identity only,
                          its object names); diagnose and status use this profile on the lab's namespaces

Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 a file cannot be read.`,
  explain: `Usage: kvlab explain <message|-> [--json]

Classifies one error message from events or logs ("-" reads standard input).

  --json                  print one JSON document (docs/contracts.md)

Exit codes: 1 a known problem, 3 nothing recognisable, 2 empty, binary or oversized input.`,
  status: `Usage: kvlab status <class> [--json] [--context <kubecontext>]

Every student's progress and blocker for one class of the roster (KVLAB_CONFIG).

  --json                  print one JSON document (docs/contracts.md)
  --context <ctx>         kubeconfig context to use

Exit codes: 0 everyone mounted, 1 someone is not, 2 usage error or unknown class, 3 cluster unreachable.`,
  serve: `Usage: kvlab serve [--role all|receiver|worker|watcher]

Runs the Slack bot. Settings come from the environment (docs/configuration.md).

  --role all              receiver, worker and watcher in one process (default)
  --role receiver         Slack requests in, jobs onto the queue
  --role worker           jobs off the queue, answers to Slack
  --role watcher          mount-failure alerts (one replica leads through a Lease)

SIGTERM/SIGINT stop it gracefully.`,
  sim: `Usage: kvlab sim [--scenario <name>] [--bot] [--state-dir <dir>] [--kubeconfig <file>] [--env-out <file>]
                 [--audit-log <file>] [--latency <ms>] [--class-size <n>]

Starts the simulated classroom (Kubernetes API, Entra ID, Key Vault, Slack) on 127.0.0.1, writes a kubeconfig,
the CA and an env file, prints "kvlab sim ready" and runs until SIGINT/SIGTERM.

  --scenario <name>       classroom (default), addon-missing, driver-not-ready, crd-missing
  --bot                   also run \`kvlab serve --role all\` against it (needs Redis)
  --state-dir <dir>       where the files go (default .kvlab/sim); one running sim per state dir
  --kubeconfig <file>     kubeconfig path (default <state-dir>/kubeconfig)
  --env-out <file>        env file path (default <state-dir>/env)
  --audit-log <file>      kube-apiserver-style audit events, one JSON line per request
  --latency <ms>          delay every Kubernetes, Entra ID and Key Vault request
  --class-size <n>        a generated class of n students (1–2000, deterministic) instead of the classroom's 24;
                          its roster goes to <state-dir>/roster.yaml (KVLAB_CONFIG)`,
  'slack-send': `Usage: kvlab slack-send --as <user> --channel <channel> [--url <bot url>] [--sim <simulator url>]
                        [--wait <ms>] "/kvlab …"

Types a slash command into the simulated Slack (after \`kvlab sim\`), delivers it signed to the bot and prints
the acknowledgement, then waits for the answer to this command and prints it as text.

  --as <user>             user id or handle to act as (e.g. U0STUDENT07)
  --channel <channel>     channel id or name (e.g. C0CLASSA01)
  --url <bot url>         the bot's Request URL (default http://127.0.0.1:$PORT/slack/events)
  --sim <simulator url>   the Slack simulator (default from SLACK_API_URL)
  --wait <ms>             how long to wait for the answer (default 60000)

Settings from the \`kvlab sim\` env file: SLACK_API_URL, SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN, PORT.`,
};

/** True when the arguments ask for help (`--help` / `-h` before any `--`). */
export function wantsHelp(args: string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

/** `node:util` parseArgs, with its errors turned into UsageErrors that name the option in kvlab's words. */
export function parseCommandArgs<T extends ParseArgsConfig['options']>(
  args: string[],
  options: T,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (err) {
    throw new UsageError(describeParseError(err as Error & { code?: string }), { cause: err });
  }
}

function describeParseError(err: Error & { code?: string }): string {
  const option = /'([^']+)'/.exec(err.message)?.[1];
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option ?? err.message}.`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${option ? `"${option}"` : ''}: this command takes options only.`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const name =
        option
          ?.replace(/ <value>$/, '')
          .split(', ')
          .at(-1) ?? 'an option';
      return /argument missing/.test(err.message) ? `option ${name} needs a value.` : `option ${name} takes no value.`;
    }
    default:
      return err.message;
  }
}
