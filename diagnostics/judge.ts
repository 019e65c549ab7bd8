/**
 * Turns check results into ranked problems: live evidence corrects what stale events suggest, findings about
 * the same category merge into one problem, and problems are ordered root cause first — by where the
 * failure sits in the mount's own sequence (driver → CRD → SPC → identity → vault → object → sync).
 */
import type { Category } from './categories.ts';
import { tagOf } from './checks/check.ts';
import { POD_NOT_FOUND_VARIANTS } from './checks/pod.ts';
import type { CheckId, CheckResult, Confidence, Finding, ProblemSource } from './types.ts';

/** Root-cause order: a failure earlier in the mount hides every later one. */
export const ROOT_CAUSE_ORDER: readonly Category[] = [
  'CSI_DRIVER_NOT_INSTALLED',
  'CRD_MISSING',
  'CSI_DRIVER_UNHEALTHY',
  'SPC_NOT_FOUND',
  'SPC_INVALID',
  'VAULT_NOT_FOUND',
  'AUTH_FAILED',
  'FIREWALL',
  'ACCESS_DENIED',
  'SECRET_NOT_FOUND',
  'SECRET_DISABLED',
  'SYNC_SECRET_MISSING',
  'TIMEOUT_OR_TRANSIENT',
  'OTHER',
];

/** Categories a Key Vault replay settles: if the replay read every object, events claiming these are stale. */
const VAULT_SIDE: ReadonlySet<Category> = new Set([
  'VAULT_NOT_FOUND',
  'AUTH_FAILED',
  'FIREWALL',
  'ACCESS_DENIED',
  'SECRET_NOT_FOUND',
  'SECRET_DISABLED',
  'TIMEOUT_OR_TRANSIENT',
]);

/** Live checks are believed over event messages, which may be old. */
const SOURCE_WEIGHT: Record<CheckId, number> = {
  'key-vault': 6,
  'csi-driver': 5,
  crd: 5,
  'secret-provider-class': 4,
  pod: 4,
  'synced-secret': 3,
  'service-account': 2,
  'mount-status': 1,
  events: 0,
};

const CONFIDENCE: Record<Confidence, number> = { high: 3, medium: 2, low: 1 };

export interface MergedProblem {
  category: Category;
  variant?: string;
  severity: 'error' | 'warning';
  confidence: Confidence;
  evidence: string[];
  facts: Record<string, string>;
  fixes: string[];
  /** Which checks (and lint rules or KB variants) said so, each with the evidence lines it contributed. */
  sources: ProblemSource[];
}

export interface JudgeContext {
  /** The pod runs and the driver recorded a successful mount. */
  mounted: boolean;
  /** The live replay exchanged the token and read every object. */
  replayAllReadable: boolean;
  /** The CSIDriver object and driver pods exist. */
  driverInstalled: boolean;
  /**
   * The pod's CSI volume names the Secrets Store driver (true when unknown). A misspelt driver name gets the same
   * kubelet message as a driver that is not registered, but it is the pod's mistake, not an unhealthy driver.
   */
  volumeNamesDriver: boolean;
}

export function judge(
  results: CheckResult[],
  ctx: JudgeContext,
  baseFacts: Record<string, string> = {},
): MergedProblem[] {
  const all = results.flatMap((r) =>
    r.findings.map((f) => correct({ ...f }, r.id, ctx)).map((f) => ({ f, source: r.id })),
  );
  // kubelet's "Unable to attach or mount volumes … timed out" follows every failed mount: a symptom, not a
  // cause, whenever something more specific explains the failure.
  const explained = all.some(({ f }) => f.severity === 'error' && f.category !== 'TIMEOUT_OR_TRANSIENT');
  const tagged = all.filter(
    ({ f, source }) => !(explained && source === 'events' && f.category === 'TIMEOUT_OR_TRANSIENT'),
  );
  const groups = new Map<Category, Array<{ f: Finding; source: CheckId }>>();
  for (const item of tagged) groups.set(item.f.category, [...(groups.get(item.f.category) ?? []), item]);
  const merged = [...groups.values()].map((items) => merge(items, baseFacts));
  return merged.sort(
    (a, b) =>
      targetRank(a) - targetRank(b) ||
      severityRank(a) - severityRank(b) ||
      ROOT_CAUSE_ORDER.indexOf(a.category) - ROOT_CAUSE_ORDER.indexOf(b.category) ||
      CONFIDENCE[b.confidence] - CONFIDENCE[a.confidence],
  );
}

/** Lets live evidence correct an event's reading of the situation. */
function correct(f: Finding, source: CheckId, ctx: JudgeContext): Finding {
  if (source !== 'events') return f;
  if (f.category === 'CSI_DRIVER_NOT_INSTALLED' && ctx.driverInstalled && ctx.volumeNamesDriver) {
    // The driver is installed but not registered on this pod's node: unhealthy there, not missing.
    Object.assign(f, tagOf('CSI_DRIVER_UNHEALTHY'));
  }
  if (ctx.mounted || (ctx.replayAllReadable && VAULT_SIDE.has(f.category))) {
    f.severity = 'warning';
    f.evidence = [
      ...f.evidence,
      ctx.mounted
        ? '(an earlier failure: the pod has mounted since)'
        : '(Key Vault access works now: kubelet retries the mount)',
    ];
  }
  return f;
}

function merge(items: Array<{ f: Finding; source: CheckId }>, baseFacts: Record<string, string>): MergedProblem {
  const ordered = [...items].sort(
    (a, b) =>
      (a.f.severity === 'error' ? 0 : 1) - (b.f.severity === 'error' ? 0 : 1) ||
      SOURCE_WEIGHT[b.source] - SOURCE_WEIGHT[a.source] ||
      (b.f.specificity ?? 0) - (a.f.specificity ?? 0),
  );
  const lead = ordered[0]!.f;
  const facts: Record<string, string> = {};
  for (const { f } of ordered) {
    for (const [k, v] of Object.entries(f.facts)) if (v && facts[k] === undefined) facts[k] = v;
  }
  for (const [k, v] of Object.entries(baseFacts)) if (v && facts[k] === undefined) facts[k] = v;
  const best = ordered.reduce(
    (c, { f }) => (CONFIDENCE[f.confidence] > CONFIDENCE[c] ? f.confidence : c),
    lead.confidence,
  );
  const variant = ordered.find(({ f }) => f.variant)?.f.variant;
  return {
    category: lead.category,
    ...(variant ? { variant } : {}),
    severity: ordered.some(({ f }) => f.severity === 'error') ? 'error' : 'warning',
    confidence: best,
    evidence: [...new Set(ordered.flatMap(({ f }) => f.evidence))],
    facts,
    fixes: [...new Set(ordered.flatMap(({ f }) => f.fixes ?? []))],
    sources: ordered.map(({ f, source }) => ({
      check: source,
      ...(f.variant ? { rule: f.variant } : {}),
      severity: f.severity,
      evidence: f.evidence,
    })),
  };
}

/**
 * A pod (or namespace) that does not exist comes first: whatever else is wrong with the cluster, the asker's answer is
 * that the name is not there (diagnostics/checks/pod.ts).
 */
function targetRank(p: MergedProblem): number {
  return p.sources.some((s) => s.check === 'pod' && POD_NOT_FOUND_VARIANTS.includes(s.rule ?? '')) ? 0 : 1;
}

function severityRank(p: MergedProblem): number {
  return p.severity === 'error' ? 0 : 1;
}
