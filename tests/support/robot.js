// Solves portier's "I'm not a robot" challenge the way the ALTCHA widget
// does (SHA-256 of salt + number, tried from 0 up), so HTTP-level tests can
// submit the guarded forms. The browser tests use the real widget instead.
import { createHash } from 'node:crypto';

export function solve(challenge) {
  for (let n = 0; n <= challenge.maxnumber; n++) {
    const h = createHash('sha256').update(challenge.salt + n).digest('hex');
    if (h === challenge.challenge) {
      const payload = { algorithm: challenge.algorithm, challenge: challenge.challenge, number: n,
                        salt: challenge.salt, signature: challenge.signature };
      return Buffer.from(JSON.stringify(payload)).toString('base64');
    }
  }
  throw new Error('challenge has no solution');
}

// Fetches a fresh challenge from the server and returns the form value.
export async function robotSolution(baseUrl) {
  const r = await fetch(`${baseUrl}/robot/defi`);
  if (r.status !== 200) throw new Error(`robot challenge: ${r.status}`);
  return solve(await r.json());
}
