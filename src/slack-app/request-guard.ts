/**
 * Sits in front of Bolt's HTTP receiver on the same server and port. It serves the health routes (src/health.ts)
 * and refuses two kinds of Slack request that Bolt's receiver does not handle:
 * - a signed timestamp more than five minutes **ahead** of the clock (Bolt only refuses old ones; a replay window
 *   in the future is as bad as one in the past): 401 with an empty body, like Bolt's own refusals;
 * - a correctly signed body whose content is not a JSON object (e.g. `payload=null`): Bolt's receiver would throw
 *   inside its request handler — an unhandled rejection that ends the process — so kvlab answers 400 and logs it
 *   once. Unsigned ones get Bolt's 401.
 * The body is buffered here (up to Bolt's limit) and handed on as `rawBody`, which Bolt reuses as is.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { defaultBodyLimit, isValidSlackRequest } from '@slack/bolt';
import { type Route, serveRoute } from '../health.ts';
import type { Logger } from '../logger.ts';

/** Slack's replay window, each way (docs/wire-notes.md §5.2). */
const MAX_SKEW_SECONDS = 300;

export function installRequestGuard(
  server: Server,
  options: { log: Logger; signingSecret: string; routes: Record<string, Route>; now?: () => number },
): void {
  const handlers = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  server.removeAllListeners('request');
  const next = (req: IncomingMessage, res: ServerResponse) => {
    for (const handler of handlers) handler.call(server, req, res);
  };
  const refuse = (res: ServerResponse, status: number) => {
    res.writeHead(status);
    res.end();
  };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (serveRoute(options.routes, req, res)) return;
    if (req.method !== 'POST') return next(req, res);
    readBody(req, defaultBodyLimit).then(
      (rawBody) => {
        (req as IncomingMessage & { rawBody: Buffer }).rawBody = rawBody;
        const timestamp = Number(req.headers['x-slack-request-timestamp']);
        const nowSeconds = Math.floor((options.now?.() ?? Date.now()) / 1000);
        if (Number.isFinite(timestamp) && timestamp > nowSeconds + MAX_SKEW_SECONDS) {
          options.log.warn(
            { aheadSeconds: timestamp - nowSeconds },
            'refused a Slack request: timestamp in the future',
          );
          return refuse(res, 401);
        }
        const text = rawBody.toString('utf8');
        if (parsesToNonObject(text, req.headers['content-type'])) {
          const signed = isValidSlackRequest({
            signingSecret: options.signingSecret,
            body: text,
            headers: {
              'x-slack-signature': String(req.headers['x-slack-signature'] ?? ''),
              'x-slack-request-timestamp': timestamp,
            },
          });
          if (!signed) return refuse(res, 401);
          options.log.warn({ bytes: rawBody.length }, 'refused a Slack request: its body is not a JSON object');
          return refuse(res, 400);
        }
        next(req, res);
      },
      (err: { status?: number; type?: string }) => {
        if (err.type === 'entity.too.large' || err.status === 413) return refuse(res, 413);
        options.log.warn({ err: { message: String((err as Error).message ?? err) } }, 'could not read a request');
        refuse(res, 400);
      },
    );
  });
}

/** True when Bolt would parse the body (as it does: form `payload`, other form fields, or JSON) to a non-object. */
function parsesToNonObject(text: string, contentType: string | undefined): boolean {
  let parsed: unknown;
  try {
    if (contentType === 'application/x-www-form-urlencoded') {
      const payload = new URLSearchParams(text).getAll('payload');
      if (payload.length !== 1) return false; // no payload: a plain form, always an object
      parsed = JSON.parse(payload[0] as string);
    } else {
      parsed = JSON.parse(text);
    }
  } catch {
    return false; // Bolt answers malformed JSON with 400 itself
  }
  return parsed === null || typeof parsed !== 'object' || Array.isArray(parsed);
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(Object.assign(new Error('request body too large'), { type: 'entity.too.large', status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
