/**
 * Entra ID error numbers the provider's token exchange meets, and what each says about the lab setup
 * (docs/wire-notes.md §3.3; Entra `reference-error-codes.md`). Classify by the number, never by the prose: Microsoft
 * warns the descriptions change.
 */
export const AADSTS_MEANING: Readonly<Record<string, string>> = {
  '70021': 'no federated identity credential matches the service-account token (issuer, subject and audience)',
  '700211': 'no federated credential with this issuer: the cluster OIDC issuer URL differs',
  '700212': 'no federated credential with this audience: it must be api://AzureADTokenExchange',
  '700213': 'no federated credential with this subject: system:serviceaccount:<namespace>:<service account> differs',
  '7002138': 'the subject matches only ignoring case: fix the case in the federated credential',
  '700016': 'no application with this client id in the tenant: wrong clientID, or the wrong tenantId',
  '90002': 'tenant not found: wrong tenantId (or the wrong cloud)',
  '900023': 'tenant id is malformed: check tenantId',
  '700024': 'the service-account token (client assertion) is expired or not yet valid',
  '700027': 'the client assertion failed signature validation',
  '7000215': 'invalid client secret (service principal mode)',
  '7000222': 'the client secret has expired (service principal mode)',
  '7000218': 'neither a client assertion nor a client secret was sent',
  '70011': 'invalid scope requested',
  '500011': 'the Key Vault resource principal was not found in the tenant',
  '90014': 'a required field is missing from the token request',
};

/** The meaning of an AADSTS number, or a generic note for numbers outside the table. */
export function aadstsMeaning(code: string): { known: boolean; text: string } {
  const text = AADSTS_MEANING[code];
  return text ? { known: true, text } : { known: false, text: 'Entra ID refused the token request' };
}
