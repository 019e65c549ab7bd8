/**
 * `metav1.Status` failures exactly as kube-apiserver writes them (apimachinery `pkg/api/errors/errors.go`,
 * docs/wire-notes.md §6.4). Handlers throw {@link StatusError}; the server turns it into the JSON body and HTTP code.
 */

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: Array<{ reason: string; message: string; field: string }>;
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** A request failure carrying the Status body the real API server would send. */
export class StatusError extends Error {
  readonly status: Status;
  constructor(code: number, reason: string, message: string, details?: StatusDetails) {
    super(message);
    this.name = 'StatusError';
    this.status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
    if (details) this.status.details = details;
  }
}

/** The group-qualified resource name used in messages: `pods`, `secretproviderclasses.secrets-store.csi.x-k8s.io`. */
export interface GroupResource {
  group: string;
  resource: string;
}

export const qualified = (gr: GroupResource): string => (gr.group ? `${gr.resource}.${gr.group}` : gr.resource);

function details(gr: GroupResource, name?: string): StatusDetails {
  const d: StatusDetails = {};
  if (name) d.name = name;
  if (gr.group) d.group = gr.group;
  d.kind = gr.resource;
  return d;
}

export const notFound = (gr: GroupResource, name: string): StatusError =>
  new StatusError(404, 'NotFound', `${qualified(gr)} "${name}" not found`, details(gr, name));

export const alreadyExists = (gr: GroupResource, name: string): StatusError =>
  new StatusError(409, 'AlreadyExists', `${qualified(gr)} "${name}" already exists`, details(gr, name));

export const conflict = (gr: GroupResource, name: string): StatusError =>
  new StatusError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(gr)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    details(gr, name),
  );

/** `forbidden` for a resource request; `reason` is the authorizer's explanation, appended after a colon. */
export function forbidden(gr: GroupResource, name: string, why: string): StatusError {
  const subject = gr.resource ? qualified(gr) : '';
  const head = subject ? (name ? `${subject} "${name}" is forbidden` : `${subject} is forbidden`) : 'forbidden';
  return new StatusError(403, 'Forbidden', `${head}: ${why}`, gr.resource ? details(gr, name) : {});
}

export const unauthorized = (): StatusError => new StatusError(401, 'Unauthorized', 'Unauthorized');

export const badRequest = (message: string): StatusError => new StatusError(400, 'BadRequest', message);

export const methodNotAllowed = (): StatusError =>
  new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');

export const notAcceptable = (accepted: string): StatusError =>
  new StatusError(406, 'NotAcceptable', `only the following media types are accepted: ${accepted}`);

export const unsupportedMediaType = (accepted: string[]): StatusError =>
  new StatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
  );

export const expired = (message: string): StatusError => new StatusError(410, 'Expired', message);

export const internalError = (message: string): StatusError =>
  new StatusError(500, 'InternalError', `Internal error occurred: ${message}`, {
    causes: [{ reason: '', message, field: '' }],
  });

/** One field problem, as `field.Error` renders it: `<field>: <Type>: <detail>`. */
export interface FieldError {
  field: string;
  type: 'FieldValueInvalid' | 'FieldValueRequired' | 'FieldValueNotSupported' | 'FieldValueTypeInvalid';
  value?: unknown;
  /** The value as Go prints it when that differs from JSON (`0x0` for an unsigned resourceVersion). */
  valueText?: string;
  detail: string;
}

function renderFieldError(e: FieldError): string {
  switch (e.type) {
    case 'FieldValueRequired':
      return `Required value${e.detail ? `: ${e.detail}` : ''}`;
    case 'FieldValueNotSupported':
      return `Unsupported value: ${JSON.stringify(e.value)}${e.detail ? `: ${e.detail}` : ''}`;
    default:
      return `Invalid value: ${e.valueText ?? (typeof e.value === 'string' ? JSON.stringify(e.value) : String(e.value))}: ${e.detail}`;
  }
}

/**
 * 422 Invalid: `<Kind>[.<group>] "<name>" is invalid: <field>: <error>` (several errors are joined as `[a, b]`).
 */
export function invalid(group: string, kind: string, name: string, errors: FieldError[]): StatusError {
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  const rendered = errors.map((e) => `${e.field}: ${renderFieldError(e)}`);
  const joined = rendered.length === 1 ? rendered[0] : `[${rendered.join(', ')}]`;
  const d: StatusDetails = { name };
  if (group) d.group = group;
  d.kind = kind;
  d.causes = errors.map((e) => ({ reason: e.type, message: renderFieldError(e), field: e.field }));
  return new StatusError(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${joined}`, d);
}

const GENERIC: Record<number, [reason: string, message: string]> = {
  400: ['BadRequest', 'the server rejected our request for an unknown reason'],
  401: ['Unauthorized', 'Unauthorized'],
  403: ['Forbidden', 'forbidden: the server does not allow access to the requested resource'],
  404: ['NotFound', 'the server could not find the requested resource'],
  409: ['Conflict', 'the server reported a conflict'],
  410: ['Gone', 'the server no longer has the requested resource'],
  429: ['TooManyRequests', 'the server has received too many requests and has asked us to try again later'],
  500: ['InternalError', 'an error on the server ("injected fault") has prevented the request from succeeding'],
  503: ['ServiceUnavailable', 'the server is currently unable to handle the request'],
  504: [
    'Timeout',
    'the server was unable to return a response in the time allotted, but may still be processing the request',
  ],
};

/** A generic Status for an HTTP code, as client-go's `NewGenericServerResponse` words them (used by fault injection). */
export function genericStatus(code: number): StatusError {
  const [reason, message] = GENERIC[code] ?? [
    'InternalError',
    `an error on the server (code ${code}) has prevented the request from succeeding`,
  ];
  return new StatusError(code, reason, message, code === 429 ? { retryAfterSeconds: 1 } : undefined);
}
