/**
 * Mount status: the SecretProviderClassPodStatus the driver writes after a successful mount
 * (`<pod>-<namespace>-<spc>`): mounted, objects and versions. Its absence means no mount has succeeded yet.
 * Needs: get secretproviderclasspodstatuses.
 */
import { type Check, couldNotCheck, notChecked, pass } from './check.ts';

export const mountStatusCheck: Check = {
  id: 'mount-status',
  title: 'Mount status (SecretProviderClassPodStatus)',
  emits: { variants: {}, facts: [] },
  reads: (e) => [e.podStatus],
  run(e) {
    if (!e.podStatus) return notChecked('no SecretProviderClass names the mount status to look up');
    if (!e.podStatus.ok) {
      return e.podStatus.gap.reason === 'not_served'
        ? notChecked(e.podStatus.gap.message)
        : couldNotCheck(e.podStatus.gap.message);
    }
    const status = e.podStatus.value?.status;
    if (!status?.mounted) {
      return { status: 'fail', summary: 'no successful mount recorded for this pod yet', findings: [] };
    }
    const objects = (status.objects ?? []).map((o) => `${o.id}@${(o.version ?? '').slice(0, 8)}`).join(', ');
    return pass(`mounted ${status.objects?.length ?? 0} object(s): ${objects || 'none'}`);
  },
};
