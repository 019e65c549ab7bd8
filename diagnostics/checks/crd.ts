/**
 * CRD: the SecretProviderClass API is served (CRD exists and is Established); a SecretProviderClass or
 * SecretProviderClassPodStatus read that the server answers with "not served" says the same.
 * Needs: get customresourcedefinitions.
 */
import { type Check, couldNotCheck, outcome } from './check.ts';

export const crdCheck: Check = {
  id: 'crd',
  title: 'SecretProviderClass API (CRD)',
  emits: { variants: {}, facts: [] },
  reads: (e) => [e.spcCrd],
  run(e) {
    const notServed = [e.spc, e.podStatus].find((r) => r && !r.ok && r.gap.reason === 'not_served');
    if (!e.spcCrd && !notServed && e.spc?.ok) {
      return outcome(
        [],
        'secretproviderclasses.secrets-store.csi.x-k8s.io/v1 is served (the SecretProviderClass read succeeded)',
      );
    }
    if (!e.spcCrd)
      return couldNotCheck(e.spc && !e.spc.ok ? e.spc.gap.message : 'the SecretProviderClass CRD was not read');
    if (!e.spcCrd.ok && !notServed) return couldNotCheck(e.spcCrd.gap.message);
    const crd = e.spcCrd.ok ? e.spcCrd.value : undefined;
    if (crd === null || notServed) {
      const evidence = [
        crd === null ? 'CustomResourceDefinition secretproviderclasses.secrets-store.csi.x-k8s.io does not exist' : '',
        notServed && !notServed.ok ? notServed.gap.message : '',
      ].filter(Boolean);
      return outcome(
        [{ category: 'CRD_MISSING', severity: 'error', confidence: 'high', evidence, facts: {} }],
        'the SecretProviderClass API is not served by this cluster',
      );
    }
    const established = crd?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
    const v1 = crd?.spec.versions.find((v) => v.name === 'v1');
    if (!established || !v1?.served) {
      return outcome(
        [
          {
            category: 'CRD_MISSING',
            severity: 'error',
            confidence: 'medium',
            evidence: [`CRD present but ${established ? 'version v1 is not served' : 'not Established'}`],
            facts: {},
          },
        ],
        'the SecretProviderClass CRD exists but is not usable',
      );
    }
    return outcome([], 'secretproviderclasses.secrets-store.csi.x-k8s.io/v1 is served');
  },
};
