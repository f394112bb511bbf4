// The admin credential check, shared by the admin proxy (worker.js) and the Queue example
// (../queue/worker.js): wrangler bundles this module into each, so the rule is written once.

/**
 * Why a request's credential is not accepted, as `{ status, error }`, or `undefined` when it is.
 * The Worker fails closed: with ADMIN_TOKEN unset, empty, not a string or too short it accepts no
 * credential at all (a missing secret would otherwise make "Bearer undefined" the password). The header must
 * be exactly "Bearer " and the secret, compared in constant time.
 */
export async function credentialRefusal(request, env) {
  const secret = env.ADMIN_TOKEN;
  if (typeof secret !== 'string' || secret.trim() === '') {
    return { status: 500, error: 'this Worker is not configured: the ADMIN_TOKEN secret is not set, so no credential is accepted (wrangler secret put ADMIN_TOKEN)' };
  }
  if (secret.length < MIN_SECRET_LENGTH) {
    return { status: 500, error: `this Worker is not configured: the ADMIN_TOKEN secret is shorter than ${MIN_SECRET_LENGTH} characters, too easy to guess, so no credential is accepted (set a random one: openssl rand -hex 32 | wrangler secret put ADMIN_TOKEN)` };
  }
  if (await inUrl(new URL(request.url), secret)) {
    return { status: 400, error: 'the admin credential was sent in the URL, where logs keep it: send it only as "Authorization: Bearer ...", and replace ADMIN_TOKEN (wrangler secret put ADMIN_TOKEN)' };
  }
  if (!(await sameSecret(request.headers.get('authorization') ?? '', `Bearer ${secret}`))) {
    return { status: 401, error: 'the admin credential was refused' };
  }
  return undefined;
}

/**
 * The shortest ADMIN_TOKEN accepted. Nothing limits how often a caller may guess, so the secret
 * alone must hold out: 16 random characters are past any guessing, "admin" is not.
 */
const MIN_SECRET_LENGTH = 16;

/** The most URL pieces compared with the secret: a mistaken URL has a few, and each costs a digest. */
const MAX_URL_PIECES = 64;

/**
 * Whether the credential came in the URL (a query key or value, alone or after "Bearer ", or a
 * path segment), where every log on the way keeps it: refused even with the right header, so the
 * mistake is found (and the secret replaced) rather than repeated on every call.
 */
async function inUrl(url, secret) {
  const segments = url.pathname.split('/').map(decoded);
  const pieces = [...segments, ...[...url.searchParams].flat()].filter(Boolean).slice(0, MAX_URL_PIECES);
  const found = await Promise.all(pieces.flatMap((piece) => [sameSecret(piece, secret), sameSecret(piece, `Bearer ${secret}`)]));
  return found.includes(true);
}

/** A path segment as the Worker reads it (percent-decoded), or as it came when it is not valid percent-encoding. */
function decoded(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Compares two secrets in constant time (over their SHA-256 digests, so lengths leak nothing). */
async function sameSecret(given, expected) {
  const digest = async (s) => new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s)));
  const [a, b] = await Promise.all([digest(given), digest(expected)]);
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}
