/**
 * The first check of every command that talks to CloudLink: the credentials belong to the
 * partner the declaration names. Reads the token claims (one call, cached by the client)
 * before anything else is read or written.
 */
import type { PrincipalApi } from '../api/client-types.js';
import type { Principal } from '../model/live.js';

/** Why the credentials cannot be used for this declaration; undefined when they can. Pure. */
export function principalMismatch(principal: Principal, declaredPartnerId: string): string | undefined {
  if (principal.partnerId === undefined || principal.partnerId === declaredPartnerId) return undefined;
  return (
    `the credentials belong to partner ${principal.partnerId} (token claims of ${principal.email ?? principal.principalId ?? 'this principal'}), ` +
    `but the declaration says partner.id "${declaredPartnerId}"; use credentials of partner ${declaredPartnerId}, ` +
    `or fix partner.id (cloudlink-tenancy whoami prints the claims)`
  );
}

/** Reads the claims and checks them against the declared partner. */
export async function verifyPrincipal(api: { principal: PrincipalApi }, declaredPartnerId: string): Promise<{ principal: Principal; problem?: string }> {
  const principal = await api.principal.whoami();
  const problem = principalMismatch(principal, declaredPartnerId);
  return problem ? { principal, problem } : { principal };
}
