// The admin credential check, shared by the admin proxy (worker.js) and the Queue example
// (../queue/worker.js): wrangler bundles this module into each, so the rule is written once.

/**
 * Why a request's credential is not accepted, as `{ status, error }`, or `undefined` when it is.
 * The Worker fails closed: with ADMIN_TOKEN unset, empty or not a string it accepts no credential
 * at all (a missing secret would otherwise make "Bearer undefined" the password). The header must
 * be exactly "Bearer " and the secret, compared in constant time.
 */
export async function credentialRefusal(request, env) {
  const secret = env.ADMIN_TOKEN;
  if (typeof secret !== 'string' || secret.trim() === '') {
    return { status: 500, error: 'this Worker is not configured: the ADMIN_TOKEN secret is not set, so no credential is accepted (wrangler secret put ADMIN_TOKEN)' };
  }
  if (!(await sameSecret(request.headers.get('authorization') ?? '', `Bearer ${secret}`))) {
    return { status: 401, error: 'the admin credential was refused' };
  }
  return undefined;
}

/** Compares two secrets in constant time (over their SHA-256 digests, so lengths leak nothing). */
async function sameSecret(given, expected) {
  const digest = async (s) => new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s)));
  const [a, b] = await Promise.all([digest(given), digest(expected)]);
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}
