/**
 * `views.open`: opens a modal for the user whose interaction minted the `trigger_id`. A trigger is single-use and
 * lives 3 seconds (docs/wire-notes.md §5.4): reuse is `exchanged_trigger_id`, lateness `expired_trigger_id`, an unknown one
 * `invalid_arguments` with `invalid \`trigger_id\`` (Slack's documented example). The view must be a `modal` with a
 * plain_text `title` (≤ 24), optional `submit`/`close` (≤ 24, `submit` required with input blocks), ≤ 100 valid
 * blocks, `callback_id` ≤ 255, `private_metadata` ≤ 3000, and at most 250 kB (`view_too_large`).
 */
import { randomBytes } from 'node:crypto';
import type { MethodHandler } from './access.ts';
import { isObject, length, validateBlocks, withBlockIds } from './blocks.ts';
import { fail, failWithMessages, ok, parseJsonObject, str } from './wire.ts';

/** How long a `trigger_id` can be exchanged after the interaction. */
export const TRIGGER_LIFETIME_MS = 3000;
const MAX_VIEW_BYTES = 250 * 1024;

export const viewsOpen: MethodHandler = (args, { store, now }) => {
  const triggerId = str(args, 'trigger_id');
  const trigger = triggerId ? store.triggers.get(triggerId) : undefined;
  if (!triggerId || !trigger) return failWithMessages('invalid_arguments', ['invalid `trigger_id`']);
  if (trigger.used) return fail('exchanged_trigger_id');
  if (now().getTime() - trigger.issuedAt > TRIGGER_LIFETIME_MS) return fail('expired_trigger_id');
  const view = parseJsonObject(args.view);
  if (!view) return failWithMessages('invalid_arguments', ['[ERROR] must provide an object [json-pointer:/view]']);
  if (Buffer.byteLength(JSON.stringify(view)) > MAX_VIEW_BYTES) return fail('view_too_large');
  const errors = validateModal(view);
  if (errors.length) return failWithMessages('invalid_arguments', errors);

  trigger.used = true;
  const { team, bot } = store.workspace;
  const id = `V${randomBytes(5).toString('hex').toUpperCase()}`;
  const opened = {
    id,
    team_id: team.id,
    type: 'modal',
    private_metadata: '',
    callback_id: '',
    external_id: '',
    ...view,
    blocks: withBlockIds(view.blocks as unknown[]),
    state: { values: {} },
    hash: `${Math.floor(now().getTime() / 1000)}.${randomBytes(4).toString('hex')}`,
    clear_on_close: false,
    notify_on_close: false,
    root_view_id: id,
    previous_view_id: null,
    app_id: bot.appId,
    app_installed_team_id: team.id,
    bot_id: bot.botId,
  };
  store.addView({ id, user: trigger.user, view: opened, triggerId });
  return ok({ view: structuredClone(opened) });
};

function validateModal(view: Record<string, unknown>): string[] {
  const errors: string[] = [];
  const err = (what: string, where: string): void => {
    errors.push(`[ERROR] ${what} [json-pointer:${where}]`);
  };
  if (view.type !== 'modal') err(`unsupported type: ${String(view.type)}`, '/view/type');
  const plain = (name: string, required: boolean) => {
    const value = view[name];
    if (value === undefined) {
      if (required) err(`missing required field: ${name}`, '/view');
    } else if (!isObject(value) || value.type !== 'plain_text' || typeof value.text !== 'string') {
      err('must provide a plain_text text object', `/view/${name}`);
    } else if (length(value.text) > 24) {
      err('must be less than 25 characters', `/view/${name}/text`);
    }
  };
  plain('title', true);
  plain('submit', false);
  plain('close', false);
  if (!Array.isArray(view.blocks)) err('missing required field: blocks', '/view');
  else {
    errors.push(...validateBlocks(view.blocks, '/view/blocks', 100));
    const hasInput = view.blocks.some((b) => isObject(b) && b.type === 'input');
    if (hasInput && view.submit === undefined) err('must provide `submit` when the view has input blocks', '/view');
  }
  for (const [field, max] of [
    ['callback_id', 255],
    ['private_metadata', 3000],
    ['external_id', 255],
  ] as const) {
    const value = view[field];
    if (typeof value === 'string' && length(value) > max)
      err(`must be less than ${max + 1} characters`, `/view/${field}`);
  }
  return errors;
}
