/**
 * The buttons of a mount-failure alert (the third, "Re-diagnose", is the diagnosis buttons' Re-run and answers
 * in the alert's thread): "Mute this pod" stops new alerts and count updates for that pod for a while (the
 * watcher reads the mute from Redis; the fix is still announced) and says so in the thread; "Diagnose" runs
 * `/kvlab diagnose` for the clicker and answers in their DM. Both are authorized like `/kvlab diagnose` for the
 * clicker's own rights (anyone in the alert channel can click), and acknowledge at once.
 */
import { jobIdFor } from '../src/ports/job-ids.ts';
import { decodeAlertButton, renderMuteNote } from '../src/slack/render-alert.ts';
import { authorizedClick, type ButtonContext, clickRequester } from './button-click.ts';
import type { HandlerDeps } from './deps.ts';
import { enqueueDiagnosis, slowDown } from './enqueue.ts';
import { ephemeral, note } from './replies.ts';

/** What muting needs: the alert store's `mute` of a cluster, and how long a mute lasts. */
export interface AlertMutes {
  mute(cluster: string, namespace: string, pod: string, untilMs: number): Promise<void>;
  muteMs: number;
}

const authorizedAlert = (deps: HandlerDeps, ctx: ButtonContext) =>
  authorizedClick(deps, ctx, decodeAlertButton, {
    stale: 'This button is from an older kvlab alert. Use /kvlab diagnose.',
    label: 'alert button',
  });

export async function handleMute(deps: HandlerDeps & { mutes?: AlertMutes }, ctx: ButtonContext): Promise<void> {
  await ctx.ack();
  const value = await authorizedAlert(deps, ctx);
  if (!value) return;
  const { body, respond } = ctx;
  if (!deps.mutes) {
    await respond(ephemeral(note('⚠️ Muting is not available in this kvlab deployment.')));
    return;
  }
  const until = (deps.now?.() ?? new Date()).getTime() + deps.mutes.muteMs;
  await deps.mutes.mute(value.cluster, value.namespace, value.pod, until);
  deps.log.info({ namespace: value.namespace, pod: value.pod }, 'pod muted');
  const channel = String(body.container.channel_id ?? body.channel?.id ?? '');
  const ts = String(body.container.message_ts ?? '');
  if (channel && ts) {
    await deps.poster
      .post(channel, renderMuteNote(value, body.user.id, until), { threadTs: ts })
      .catch((err: unknown) => deps.log.warn({ err }, 'could not post the mute note'));
  }
  await respond(ephemeral(note(`🔕 Muted \`${value.namespace}/${value.pod}\`. kvlab still says when it mounts.`)));
}

export async function handleAlertDiagnose(deps: HandlerDeps, ctx: ButtonContext): Promise<void> {
  await ctx.ack();
  const value = await authorizedAlert(deps, ctx);
  if (!value) return;
  const { body, respond } = ctx;
  const rate = await deps.rateLimit.take(body.user.id).catch(() => undefined);
  if (rate && !rate.allowed) {
    await respond(ephemeral(slowDown(rate.retryAfterMs)));
    return;
  }
  const dm = await deps.poster.openDm(body.user.id).catch(() => undefined);
  await respond(ephemeral(note(`🩺 Diagnosing \`${value.namespace}/${value.pod}\`; the answer comes as a DM.`)));
  await enqueueDiagnosis(deps, respond, {
    job: {
      v: 1,
      kind: 'diagnose',
      namespace: value.namespace,
      pod: value.pod,
      requester: clickRequester(body, dm ?? body.user.id),
      origin: 'command',
      requestedAt: (deps.now?.() ?? new Date()).toISOString(),
    },
    jobId: jobIdFor('cmd', body.trigger_id || `${body.user.id}-${Date.now()}`),
  });
}
