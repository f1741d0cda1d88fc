// Which templates staff can configure: the message kinds (template keys) with their Chinese names, and the variables
// each must show. The routes a template can take, with the shape of their content, are each channel's own
// (`ChannelAdapter.routes`, gathered as `channelRoutes` in channels/registry.ts). The dispatcher renders the template
// of (channel, key, route) for every route the channel's adapter plans.
import type { ChannelRoute } from '../channels/adapter.js';

export const messageKeys: Record<string, string> = {
  receipt: '受理回执',
  reply: '答复',
  reply_notice: '答复提醒',
  'status.accepted': '状态通知：已受理',
  'status.in_progress': '状态通知：办理中',
  'status.replied': '状态通知：已答复',
  'status.closed': '状态通知：已办结',
  survey: '满意度调查',
  survey_reminder: '满意度调查提醒',
  survey_which: '多封来信待评价',
  survey_thanks: '调查致谢',
  survey_closed: '调查已结束',
  reminder: '提醒',
  welcome: '欢迎语',
  help: '帮助',
  optout_confirm: '退订确认',
  resubscribe_confirm: '恢复订阅确认',
  draft_started: '开始写信提示',
  draft_submitted: '来信已提交',
  nothing_to_submit: '没有可提交的内容',
  query_result: '进度查询结果',
  query_not_found: '查询无结果',
  query_usage: '查询用法',
  rate_limited: '发送过于频繁',
};

/** Variables a message must show, whatever the channel: one of each inner list. */
export const requiredVariables: Record<string, string[][]> = {
  receipt: [['serial'], ['extractionCode']],
  reply: [['replyText', 'replySummary']],
  reply_notice: [['serial']],
};

/** Every channel's template routes (channel → route → its description), as the registry gathers them. */
export type ChannelRoutes = Readonly<Record<string, Readonly<Record<string, ChannelRoute>>>>;
