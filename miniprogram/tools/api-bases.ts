// Which gateway address each version of the mini-program talks to, decided at build time: WeChat tells the running
// app whether it is the develop, trial or release version (wx.getAccountInfoSync().miniProgram.envVersion), and the
// build writes one address per version into env.js. A release build refuses an address that is not https, since
// WeChat only lets a released mini-program reach registered https domains.
export type EnvVersion = 'develop' | 'trial' | 'release';

export interface ApiBases {
  develop: string;
  trial: string;
  release: string;
}

export class ApiBaseError extends Error {}

const DEFAULT_DEVELOP = 'http://localhost:8080';

function parse(name: string, value: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new ApiBaseError(`${name} is not an address: ${value}`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw new ApiBaseError(`${name} must be an http(s) address: ${value}`);
  if (u.search || u.hash) throw new ApiBaseError(`${name} must not carry a query or fragment: ${value}`);
  return value.replace(/\/+$/, '');
}

/**
 * Reads MP_API_BASE_DEVELOP / MP_API_BASE_TRIAL / MP_API_BASE_RELEASE. A release build (`--release`) needs trial and
 * release addresses on https (WeChat checks request and uploadFile domains there); a development build falls back to
 * the develop address for the versions not given, so DevTools works out of the box.
 */
export function apiBasesFrom(env: Record<string, string | undefined>, release: boolean): ApiBases {
  const develop = parse('MP_API_BASE_DEVELOP', env.MP_API_BASE_DEVELOP || DEFAULT_DEVELOP);
  const trialRaw = env.MP_API_BASE_TRIAL;
  const releaseRaw = env.MP_API_BASE_RELEASE;
  if (release) {
    for (const [name, value] of [
      ['MP_API_BASE_TRIAL', trialRaw],
      ['MP_API_BASE_RELEASE', releaseRaw],
    ] as const) {
      if (!value) throw new ApiBaseError(`a release build needs ${name}`);
      if (!value.startsWith('https://'))
        throw new ApiBaseError(`a release build refuses ${name}=${value}: WeChat only allows https request domains`);
    }
  }
  const trial = trialRaw ? parse('MP_API_BASE_TRIAL', trialRaw) : develop;
  const rel = releaseRaw ? parse('MP_API_BASE_RELEASE', releaseRaw) : develop;
  if (releaseRaw && !rel.startsWith('https://'))
    throw new ApiBaseError(`MP_API_BASE_RELEASE must be https: ${releaseRaw}`);
  return { develop, trial, release: rel };
}
