// Where the app finds the gateway. Point API_BASE at your gateway (its domain must be listed as a request and
// uploadFile domain of the mini-program; in DevTools, "不校验合法域名" allows http://localhost while developing).
export const API_BASE = 'http://localhost:8080';

/**
 * A gateway in sandbox mode (no AppID configured) cannot check wx.login codes with WeChat; it accepts `dev:<name>`
 * instead. Set a name here to try the app against such a gateway; leave it empty for a real mini-program.
 */
export const SANDBOX_LOGIN_NAME: string = '';
