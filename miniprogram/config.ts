// Where the app finds the gateway: the build writes one address per version (develop / trial / release) into env.js
// (MP_API_BASE_DEVELOP, MP_API_BASE_TRIAL, MP_API_BASE_RELEASE; see README), and the running app picks the one of the
// version WeChat says it is. A release version never talks to a non-https address.
import { API_BASES } from './env';

export type EnvVersion = 'develop' | 'trial' | 'release';

export function envVersion(): EnvVersion {
  try {
    const v = wx.getAccountInfoSync().miniProgram.envVersion;
    return v === 'develop' || v === 'trial' ? v : 'release';
  } catch {
    return 'release';
  }
}

export function apiBase(): string {
  const v = envVersion();
  const base = API_BASES[v];
  if (v === 'release' && !base.startsWith('https://'))
    throw new Error('release version built without an https API address');
  return base;
}

/**
 * A gateway in sandbox mode (no AppID configured) cannot check wx.login codes with WeChat; it accepts `dev:<name>`
 * instead. Set a name here to try the app against such a gateway; leave it empty for a real mini-program.
 */
export const SANDBOX_LOGIN_NAME: string = '';
