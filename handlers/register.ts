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

  app.action<BlockAction<ButtonAction>>(RERUN_ACTION_ID, async ({ body, ack, respond }) => {
    const log = deps.log.child({ user: body.user.id, action: 'rerun' });
    await handleRerun({ ...deps, log }, { body, ack: () => ack(), respond }).catch((err: unknown) =>
      log.error({ err }, 'the Re-run handler failed'),
    );
  });

  app.action<BlockAction<ButtonAction>>(SHOW_CHECKS_ACTION_ID, async ({ body, ack, respond }) => {
    const log = deps.log.child({ user: body.user.id, action: 'show_checks' });
    await handleShowChecks({ ...deps, log }, { body, ack: () => ack(), respond }).catch((err: unknown) =>
      log.error({ err }, 'the Show all checks handler failed'),
    );
  });

  app.action<BlockAction<ButtonAction>>(SHOW_FIX_ACTION_ID, async ({ body, ack, respond }) => {
    const log = deps.log.child({ user: body.user.id, action: 'show_fix' });
    await handleShowFix({ ...deps, log }, { body, ack: () => ack(), respond }).catch((err: unknown) =>
      log.error({ err }, 'the Show fixed YAML handler failed'),
    );
  });

  for (const [actionId, handle] of [
    [ALERT_MUTE_ACTION_ID, handleMute],
    [ALERT_DIAGNOSE_ACTION_ID, handleAlertDiagnose],
  ] as const) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ body, ack, respond }) => {
      const log = deps.log.child({ user: body.user.id, action: actionId });
      await handle({ ...deps, log }, { body, ack: () => ack(), respond }).catch((err: unknown) =>
        log.error({ err }, 'the alert button handler failed'),
      );
    });
  }

  for (const [actionId, handler] of [
    [STATUS_REFRESH_ACTION_ID, handleStatusRefresh],
    [STATUS_DIAGNOSE_ACTION_ID, handleStatusDiagnose],
  ] as const) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ body, ack, respond }) => {
      const log = deps.log.child({ user: body.user.id, action: actionId });
      await handler({ ...deps, log }, { body, ack: () => ack(), respond }).catch((err: unknown) =>
        log.error({ err }, 'the status button handler failed'),
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
