/**
 * What Slack sends when a person presses a modal's submit button (docs/wire-notes.md §5.4): a signed `view_submission`
 * payload with the opened view and the values typed into its inputs (`view.state.values[block_id][action_id]`),
 * form-encoded as `payload=` like every interaction. The driver (sim/slack/driver.ts) covers commands and clicks;
 * the console adds this one.
 */
import { slackSignature } from '../slack/signing.ts';
import type { OpenedView } from '../slack/store.ts';
import type { SlackWorkspace } from '../slack/workspace.ts';

export interface ViewSubmitResult {
  status: number;
  body: string;
  /** Slack keeps the modal open only for `response_action: errors` (with the errors shown under the inputs). */
  errors?: Record<string, string>;
}

export async function submitView(
  url: string,
  workspace: SlackWorkspace,
  opened: OpenedView,
  values: Record<string, Record<string, string>>,
): Promise<ViewSubmitResult> {
  const user = workspace.users.find((u) => u.id === opened.user);
  const blocks = (opened.view.blocks as Array<Record<string, unknown>> | undefined) ?? [];
  const state: Record<string, Record<string, unknown>> = {};
  for (const block of blocks) {
    const element = block.element as Record<string, unknown> | undefined;
    if (block.type !== 'input' || !element?.action_id) continue;
    const blockId = String(block.block_id);
    const actionId = String(element.action_id);
    state[blockId] = { [actionId]: { type: element.type, value: values[blockId]?.[actionId] ?? null } };
  }
  const payload = {
    type: 'view_submission',
    team: { id: workspace.team.id, domain: workspace.team.domain },
    user: {
      id: opened.user,
      username: user?.name ?? opened.user,
      name: user?.name ?? opened.user,
      team_id: workspace.team.id,
    },
    api_app_id: workspace.bot.appId,
    token: workspace.verificationToken,
    trigger_id: opened.triggerId,
    view: { ...opened.view, state: { values: state } },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const ts = Math.floor(Date.now() / 1000);
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': slackSignature(workspace.signingSecret, ts, body),
    },
    body,
    signal: AbortSignal.timeout(3000),
  });
  const text = await res.text();
  let errors: Record<string, string> | undefined;
  try {
    const ack = text ? (JSON.parse(text) as { response_action?: string; errors?: Record<string, string> }) : {};
    if (ack.response_action === 'errors') errors = ack.errors ?? {};
  } catch {
    // An empty or non-JSON ack closes the modal, as Slack does.
  }
  return { status: res.status, body: text, ...(errors ? { errors } : {}) };
}
