/**
 * Slack's request signing (docs/wire-notes.md §5.2, https://api.slack.com/authentication/verifying-requests-from-slack):
 * `X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:<timestamp>:<raw body>" keyed with the signing secret>` and
 * `X-Slack-Request-Timestamp: <unix seconds>`, computed over the exact bytes sent.
 */
import { createHmac } from 'node:crypto';

/** The `X-Slack-Signature` value for one request body. */
export function slackSignature(
  signingSecret: string,
  timestampSeconds: number,
  rawBody: string,
  version = 'v0',
): string {
  const digest = createHmac('sha256', signingSecret).update(`${version}:${timestampSeconds}:${rawBody}`).digest('hex');
  return `${version}=${digest}`;
}
