/**
 * Registers every Slack entry point on a Bolt app (bolt starter template `register(app)`): the `/kvlab` command,
 * the diagnosis buttons, and the lint modal's submission. Listener errors are logged here; Bolt has already
 * acknowledged or will answer Slack on its own.
 */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import {
  LINT_MODAL_CALLBACK_ID,
  RERUN_ACTION_ID,
  SHOW_CHECKS_ACTION_ID,
  SHOW_FIX_ACTION_ID,
  STATUS_DIAGNOSE_ACTION_ID,
  STATUS_REFRESH_ACTION_ID,
} from '../src/slack/interaction-ids.ts';
import { ALERT_DIAGNOSE_ACTION_ID, ALERT_MUTE_ACTION_ID } from '../src/slack/render-alert.ts';
import { handleAlertDiagnose, handleMute } from './alert-buttons.ts';
import type { ButtonContext } from './button-click.ts';
import type { HandlerDeps } from './deps.ts';
import { handleRerun, handleShowChecks } from './diagnosis-buttons.ts';
import { handleShowFix } from './fix-button.ts';
import { handleKvlabCommand } from './kvlab-command.ts';
import { answerLint, readLintSubmission } from './lint-command.ts';
import { ephemeral, note } from './replies.ts';
import { handleStatusDiagnose, handleStatusRefresh } from './status-buttons.ts';

export function registerHandlers(app: App, deps: HandlerDeps, commandName = '/kvlab'): void {
  app.command(commandName, async ({ command, ack, respond, client }) => {
    let acked = false;
    const once: typeof ack = async (body) => {
      acked = true;
      await ack(body);
    };
    try {
      await handleKvlabCommand(deps, {
        command,
        ack: once,
        respond,
        openView: (args) => client.views.open(args as Parameters<typeof client.views.open>[0]),
      });
    } catch (err) {
      deps.log.error({ err, user: command.user_id }, 'the /kvlab handler failed');
      if (!acked) await ack(ephemeral(note('⚠️ kvlab hit an internal error and did nothing. Please try again.')));
    }
  });

  // Every button: its action id, the name its log lines carry, and the handler (which acks at once itself).
  const buttons: ReadonlyArray<readonly [string, string, (deps: HandlerDeps, ctx: ButtonContext) => Promise<void>]> = [
    [RERUN_ACTION_ID, 'rerun', handleRerun],
    [SHOW_CHECKS_ACTION_ID, 'show_checks', handleShowChecks],
    [SHOW_FIX_ACTION_ID, 'show_fix', handleShowFix],
    [ALERT_MUTE_ACTION_ID, 'alert_mute', handleMute],
    [ALERT_DIAGNOSE_ACTION_ID, 'alert_diagnose', handleAlertDiagnose],
    [STATUS_REFRESH_ACTION_ID, 'status_refresh', handleStatusRefresh],
    [STATUS_DIAGNOSE_ACTION_ID, 'status_diagnose', handleStatusDiagnose],
  ];
  for (const [actionId, action, handle] of buttons) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ body, ack, respond }) => {
      const log = deps.log.child({ user: body.user.id, action });
      await handle({ ...deps, log }, { body, ack: () => ack(), respond }).catch((err: unknown) =>
        log.error({ err }, `the ${action} button handler failed`),
      );
    });
  }

  app.view(LINT_MODAL_CALLBACK_ID, async ({ body, view, ack }) => {
    const read = readLintSubmission(view);
    if ('errors' in read) return ack({ response_action: 'errors', errors: read.errors });
    await ack();
    await answerLint(deps, { user: body.user.id, view }, read.yaml).catch((err: unknown) =>
      deps.log.error({ err, user: body.user.id }, 'could not deliver the lint result'),
    );
  });
}
