/**
 * Types and placeholder vocabulary of the knowledge base (docs/architecture.md "Conventions"). Texts use
 * `{fact}` placeholders that `renderKnowledge` fills with the student's real names; every placeholder must be one of
 * `KB_FACTS` (checked by test/diagnostics/knowledge-base.test.ts).
 */

/** The facts a check or classifier can supply, i.e. the placeholders knowledge texts may use. */
export const KB_FACTS = [
  'namespace',
  'pod',
  'spc',
  'serviceAccount',
  'vault',
  'clientId',
  'objectId',
  'tenantId',
  'objectName',
  'objectType',
  'objectVersion',
  'node',
  'issuer',
  'subject',
  'audience',
  'identityName',
  'resourceGroup',
  'cluster',
  'secretName',
  'volume',
  'nearestSpc',
  'otherNamespace',
  'annotatedClientId',
  'nearestPod',
  'podNames',
] as const satisfies readonly string[];

export type KbFact = (typeof KB_FACTS)[number];

export function isKbFact(value: string): value is KbFact {
  return (KB_FACTS as readonly string[]).includes(value);
}

/** What a missing fact renders as: a visible hint, never `undefined`. */
export const FACT_HINTS: Readonly<Record<KbFact, string>> = {
  namespace: '<namespace>',
  pod: '<pod name>',
  spc: '<SecretProviderClass name>',
  serviceAccount: '<service account>',
  vault: '<vault name>',
  clientId: '<identity client ID>',
  objectId: '<identity object (principal) ID>',
  tenantId: '<tenant ID>',
  objectName: '<secret name>',
  objectType: '<object type>',
  objectVersion: '<object version>',
  node: '<node name>',
  issuer: '<cluster OIDC issuer URL>',
  subject: '<token subject>',
  audience: '<token audience>',
  identityName: '<managed identity name>',
  resourceGroup: '<resource group>',
  cluster: '<AKS cluster name>',
  secretName: '<Secret name>',
  volume: '<volume name>',
  nearestSpc: '<similar SecretProviderClass name>',
  otherNamespace: '<other namespace>',
  annotatedClientId: '<annotated client ID>',
  nearestPod: '<similar pod name>',
  podNames: '<pods in the namespace>',
};

/** The text of a knowledge entry or of one of its variants. Plain text; Slack escaping happens at render time. */
export interface KbText {
  title: string;
  /** Why it happens, in words a learner understands. */
  cause: string;
  /** Steps in order; commands are az / kubectl lines with `{fact}` placeholders. */
  fix: readonly string[];
  /** How to confirm the fix worked. */
  verify: readonly string[];
  /** An https link to the documentation that explains it. */
  docs: string;
  /**
   * Who can fix it in the lab: the student in their own namespace, or the instructor (cluster add-on, CRD, Azure
   * access, federated credentials, firewall). Class status splits its blocker histogram by this.
   */
  owner: ProblemOwner;
}

export type ProblemOwner = 'student' | 'instructor';

/** One category's knowledge. Variants refine it for a known detail (e.g. RBAC vs access policy) and inherit unset fields. */
export interface KbEntry extends KbText {
  /** The lab's Common Problems row (1–6), as in `COMMON_PROBLEM_ROW`, or null. */
  commonProblem: number | null;
  variants?: Readonly<Record<string, Partial<KbText>>>;
}

/** A rendered entry: placeholders filled, ready for the CLI, Slack or JSON output. */
export interface RenderedKnowledge {
  title: string;
  cause: string;
  fix: string[];
  verify: string[];
  docs: string;
  owner: ProblemOwner;
  commonProblem: number | null;
  /** The variant used, when one was asked for and exists. */
  variant?: string;
}
