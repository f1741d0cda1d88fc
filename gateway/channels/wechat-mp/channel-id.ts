// The mini-program channel's id, for the mini-program's app backend (gateway/mp/): its letters and templates are this
// channel's, and it names the channel through this constant. Imports nothing, so the backend can read it without
// loading the channel.
export const wechatMpChannel = 'wechat-mp';
