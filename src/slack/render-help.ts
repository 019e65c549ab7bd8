/**
 * The short answers around the commands: usage (`/kvlab help` and unknown input), a usage error for bad input, a
 * polite refusal that says whom to ask, and the lint modal (`views.open` payload) where a student pastes YAML.
 * All ephemeral; the handlers decide where they go.
 */
import { clipEscaped, cut, finishMessage, LIMITS } from './budget.ts';
import { LINT_MODAL_CALLBACK_ID, LINT_YAML_ACTION_ID, LINT_YAML_BLOCK_ID } from './interaction-ids.ts';
import { context, plain, type SlackMessage, section } from './messages.ts';
import { code, escapeMrkdwn } from './mrkdwn.ts';

/** Slack's ceilings for a modal: `private_metadata` and a plain_text_input's `max_length`. */
const PRIVATE_METADATA_MAX = 3000;
const INPUT_MAX = 3000;

const COMMANDS: Array<[usage: string, what: string]> = [
  [
    '/kvlab diagnose <pod> [-n <namespace>]',
    'find out why a pod does not get its Key Vault secrets (your namespace by default)',
  ],
  ['/kvlab explain <error text>', 'explain an error message copied from an event, `kubectl describe` or a log'],
  ['/kvlab lint', 'paste a SecretProviderClass or Pod manifest and check it before you apply it'],
  ['/kvlab status <class>', 'instructors: the progress of a class (not available yet)'],
  ['/kvlab help', 'this message'],
];

/** Usage: what kvlab does and its commands. */
export function renderHelp(): SlackMessage {
  const lines = COMMANDS.map(([usage, what]) => `• ${code(usage)} — ${escapeMrkdwn(what)}`);
  return finishMessage('kvlab: diagnose, explain and lint Key Vault secret mounts', [
    section('👋 *kvlab* finds out why Azure Key Vault secrets do not mount into your pod, and how to fix it.'),
    section(lines.join('\n')),
    context(
      'Answers about your pod come as a thread; only you see this help. The same checks run in a terminal: `kvlab diagnose`, `kvlab lint`, `kvlab explain`.',
    ),
  ]);
}

/** Bad input: the message (what is wrong and what to do), and where to find the usage. Nothing was queued. */
export function renderUsageError(message: string): SlackMessage {
  const text = escapeMrkdwn(cut(message.trim() || 'That command was not understood.', 1500));
  return finishMessage(`⚠️ ${text}`, [
    section(clipEscaped(`⚠️ ${text}`, LIMITS.sectionText)),
    context(`${code('/kvlab help')} lists the commands.`),
  ]);
}

/** A Slack user id (`U…`/`W…`): the only thing {@link renderRefusal} turns into a mention. */
const USER_ID = /^[UW][A-Z0-9]{2,20}$/;

/**
 * A polite refusal (not on the roster, or another student's namespace). `whomToAsk` are Slack user ids, shown as
 * mentions of those people (at most five); anything that is not a user id is dropped, never rendered as markup.
 */
export function renderRefusal(reason: string, whomToAsk: readonly string[]): SlackMessage {
  const ids = whomToAsk
    .map((w) => w.trim())
    .filter((w) => USER_ID.test(w))
    .slice(0, 5);
  const ask = ids.length ? ids.map((id) => `<@${id}>`).join(' or ') : 'your instructor';
  const because = escapeMrkdwn(cut(reason.trim() || 'You are not allowed to do that.', 1500));
  return finishMessage(`🚫 ${because}`, [
    section(clipEscaped(`🚫 ${because}`, LIMITS.sectionText)),
    section(`If you think you should have access, ask ${ask}.`),
  ]);
}

/**
 * The `view` for `views.open` when a student types `/kvlab lint`: one multiline input for YAML (block and action id
 * `kvlab_lint_yaml`), callback_id `kvlab_lint_modal`. `privateMetadata` comes back in the `view_submission`
 * (e.g. the channel to answer in); it must not exceed Slack's 3,000 characters and must not carry a secret.
 */
export function renderLintModal(privateMetadata: string): object {
  if (privateMetadata.length > PRIVATE_METADATA_MAX) {
    throw new RangeError(
      `lint modal private_metadata is ${privateMetadata.length} characters; Slack accepts at most ${PRIVATE_METADATA_MAX}. Store less in it (an id, not the data).`,
    );
  }
  return {
    type: 'modal',
    callback_id: LINT_MODAL_CALLBACK_ID,
    private_metadata: privateMetadata,
    title: plain('Lint YAML'),
    submit: plain('Lint'),
    close: plain('Cancel'),
    blocks: [
      section(
        'Paste a SecretProviderClass and/or a Pod manifest (several documents separated by `---` are fine). kvlab checks it against the lab and the Azure provider; nothing is applied to the cluster.',
      ),
      {
        type: 'input',
        block_id: LINT_YAML_BLOCK_ID,
        label: plain('YAML'),
        element: {
          type: 'plain_text_input',
          action_id: LINT_YAML_ACTION_ID,
          multiline: true,
          max_length: INPUT_MAX,
          placeholder: plain('apiVersion: secrets-store.csi.x-k8s.io/v1'),
        },
      },
      context(
        `Up to ${INPUT_MAX.toLocaleString('en-US')} characters; longer files: ${code('kvlab lint <file>')} in a terminal.`,
      ),
    ],
  };
}
