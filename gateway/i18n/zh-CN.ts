// The zh-CN catalogue: every name staff and citizens read for the gateway's identifiers (channels, routes, template
// keys, statuses, outcomes, provider error codes, audit actions, template variables, problem codes), composed from
// the core's table below and the fragments modules contribute (channels' own fragments are added by the registry,
// see addMessages in index.ts). Another language adds a sibling file with the same keys.
import { composeCatalogue, prefixed } from './catalogue.js';
import { messageKeys } from '../templates/catalogue.js';
import { kindLabels, originLabels } from '../../shared/letter.js';
import { scoreLabels } from '../surveys/surveys.js';
import { messages as consoleLetter } from '../admin/messages/page-letter.zh-CN.js';
import { messages as consoleLetters } from '../admin/messages/page-letters.zh-CN.js';
import { messages as consoleStats } from '../admin/messages/page-stats.zh-CN.js';
import { messages as consoleTopics } from '../admin/messages/page-topics.zh-CN.js';
import { messages as consoleApi } from '../admin/messages/api.zh-CN.js';
import { messages as consoleApp } from '../admin/messages/app.zh-CN.js';
import { messages as consoleChart } from '../admin/messages/chart.zh-CN.js';
import { messages as consoleDialog } from '../admin/messages/dialog.zh-CN.js';
import { messages as consoleI18n } from '../admin/messages/i18n.zh-CN.js';
import { messages as consoleIndex } from '../admin/messages/index.zh-CN.js';
import { messages as consoleList } from '../admin/messages/list.zh-CN.js';
import { messages as consolePageAdmin } from '../admin/messages/page-admin.zh-CN.js';
import { messages as consolePageAlerts } from '../admin/messages/page-alerts.zh-CN.js';
import { messages as consolePageChannels } from '../admin/messages/page-channels.zh-CN.js';
import { messages as consolePageCitizens } from '../admin/messages/page-citizens.zh-CN.js';
import { messages as consolePageDeliveries } from '../admin/messages/page-deliveries.zh-CN.js';
import { messages as consolePageKeys } from '../admin/messages/page-keys.zh-CN.js';
import { messages as consolePageReports } from '../admin/messages/page-reports.zh-CN.js';
import { messages as consolePageSandbox } from '../admin/messages/page-sandbox.zh-CN.js';
import { messages as consolePageTemplates } from '../admin/messages/page-templates.zh-CN.js';
import { messages as consolePreview } from '../admin/messages/preview.zh-CN.js';
import { messages as consoleTemplateForm } from '../admin/messages/template-form.zh-CN.js';
import { messages as sandboxTexts } from '../channels/sandbox/messages.zh-CN.js';
import { messages as conversationTexts } from '../conversation/messages.zh-CN.js';
import { messages as letterTexts } from '../letters/messages.zh-CN.js';
import { messages as mpTexts } from '../mp/messages.zh-CN.js';
import { messages as statsTexts } from '../stats/messages.zh-CN.js';
import { messages as templateTexts } from '../templates/messages.zh-CN.js';
import { messages as adminTexts } from '../admin/messages.zh-CN.js';
import { messages as registrationTexts } from '../registrations/messages.zh-CN.js';
import { messages as privacyTexts } from '../privacy/messages.zh-CN.js';

const core = {
  'role.admin': '管理员',
  'role.operator': '操作员',
  'role.viewer': '只读',

  'letterStatus.received': '已接收',
  'letterStatus.accepted': '已受理',
  'letterStatus.in_progress': '办理中',
  'letterStatus.replied': '已答复',
  'letterStatus.closed': '已办结',
  'letterStatus.rejected': '被拒收',
  'forwardState.pending': '待转交',
  'forwardState.forwarded': '已转交',
  'forwardState.rejected': '案件系统拒收',
  'forwardState.external': '案件系统登记',
  'forwardState.stuck': '卡住（未能转交）',
  'forwardOutcome.accepted': '案件系统已接收',
  'forwardOutcome.retry': '暂时失败，稍后重试',
  'forwardOutcome.rejected': '案件系统拒收',

  'deliveryStatus.queued': '排队中',
  'deliveryStatus.sending': '发送中',
  'deliveryStatus.sent': '已发送',
  'deliveryStatus.delivered': '已送达',
  'deliveryStatus.failed': '失败',
  'deliveryStatus.fallback': '已转其他方式',
  'deliveryKind.receipt': '受理回执',
  'deliveryKind.reply': '答复',
  'deliveryKind.notice': '通知',
  'deliveryKind.survey': '满意度调查',
  'deliveryKind.service': '服务消息',
  'attemptOutcome.sent': '已发出',
  'attemptOutcome.accepted': '服务商已接收',
  'attemptOutcome.delivered': '已送达',
  'attemptOutcome.failed': '失败',
  'attemptOutcome.retry': '暂时失败，稍后重试',
  'attemptOutcome.fallback': '此方式不可用，改用下一种方式',
  'attemptOutcome.unknown': '结果未知，待核实',
  'attemptOutcome.skipped': '已跳过',

  'errorCode.template': '消息模板缺失或内容不完整，请检查模板配置',
  'errorCode.route': '该渠道没有这种发送方式',
  'errorCode.window': '客服消息窗口已关闭或条数已用完，改用下一种方式',
  'errorCode.opted_out': '市民已退订通知和回访消息',
  'errorCode.survey_closed': '满意度调查已结束（已回答、已过期或被撤回），此消息不再发送',
  'errorCode.rate_limited': '发送速率已达上限，稍后自动重试',
  'errorCode.unknown': '服务商未说明原因',

  'sourceType.text': '文字',
  'sourceType.image': '图片',
  'sourceType.voice': '语音',
  'sourceType.video': '视频',
  'sourceType.location': '位置',
  'sourceType.link': '链接',
  'sourceType.mp-form': '小程序表单',
  'sourceType.registration': '案件系统登记',
  'attachmentKind.image': '图片',
  'attachmentKind.voice': '语音',
  'attachmentKind.video': '视频',
  'attachmentKind.file': '文件',

  'surveyState.open': '等待回答',
  'surveyState.answered': '已回答',
  'surveyState.expired': '已过期',
  'surveyState.withdrawn': '已撤回',
  'surveyTrigger.final_reply': '最终答复后发起',
  'surveyTrigger.closed': '办结后发起',
  'surveyTrigger.api': '案件系统发起',

  'audit.session.login': '登录',
  'audit.session.login_failed': '登录失败',
  'audit.session.locked': '账号被锁定',
  'audit.staff.bootstrap': '创建初始管理员',
  'audit.staff.create': '新建人员',
  'audit.staff.update': '修改人员',
  'audit.staff.password': '修改密码',
  'audit.template.save': '保存模板',
  'audit.template.rollback': '回滚模板',
  'audit.template.import': '导入模板',
  'audit.letter.read': '查看来信',
  'audit.letter.retry': '重试转交',
  'audit.letter.reveal_phone': '查看完整手机号',
  'audit.letter.reveal_code': '查看提取码',
  'audit.letter.export': '导出来信',
  'audit.delivery.resend': '重发消息',
  'audit.delivery.export': '导出发送记录',
  'audit.api_key.create': '新建 API 密钥',
  'audit.api_key.revoke': '吊销 API 密钥',
  'audit.citizen.export': '导出市民个人信息',
  'audit.citizen.erase': '删除市民个人信息',
  'audit.sandbox.message': '沙箱模拟消息',
  'audit.sandbox.refusal.on': '打开模拟服务商的拒绝',
  'audit.sandbox.refusal.off': '关闭模拟服务商的拒绝',
  'audit.alert.acknowledge': '确认预警',
  'audit.report.generate': '生成月度报告',
  'audit.public-letter.approve': '批准公开来信',
  'audit.public-letter.withdraw': '撤回公开来信',
  'auditTarget.letter': '来信',
  'auditTarget.delivery': '消息',
  'auditTarget.template': '模板',
  'auditTarget.staff': '人员',
  'auditTarget.api_key': 'API 密钥',
  'auditTarget.citizen': '市民',
  'auditTarget.sandbox': '沙箱',
  'auditTarget.alert': '预警',
  'auditTarget.report': '月度报告',

  'variable.letterId': '网关来信编号（用于跳转到小程序中的来信）',
  'variable.serial': '受理流水号，如 CD20261126000123',
  'variable.extractionCode': '提取码：市民凭流水号和这 6 位数字查询进度',
  'variable.mailbox': '来信所写给的信箱名称',
  'variable.kind': '来信类型（投诉/建议/咨询/表扬/其他）',
  'variable.title': '来信标题；没有标题时取正文开头',
  'variable.receivedAt': '收到来信的时间（北京时间，年-月-日 时:分）',
  'variable.receivedDate': '收到来信的日期（年-月-日）',
  'variable.replyText': '案件系统答复的全文',
  'variable.replySummary': '按句子截短、适合短信的答复摘要',
  'variable.status': '办理进度（已受理/办理中/已答复/已办结）',
  'variable.statusNote': '状态变化时附带的说明',
  'variable.surveyLink': '市民评价答复的链接或小程序页面',
  'variable.surveyScore': '市民的评价（满意/基本满意/不满意）',
  'variable.serials': '市民待评价来信的流水号，用“、”分隔',
  'variable.helpText': '在本渠道写信和查询进度的方法',
  'variable.partNumber': '长消息拆分后的第几部分',
  'variable.partCount': '长消息共拆分成几部分',
  'variable.submitWord': '在公众号和短信中立即提交来信的词（如“提交”）',
  'variable.quietPeriod': '最后一条消息后多久自动提交来信（如 3分钟）',
  'variable.draftSummary': '提交的来信收集到的内容（如 2段文字、1张图片、1个位置）',
  'variable.retryMinutes': '再次查询进度前需要等待的分钟数',
  'variable.publicBaseUrl': '网关当前的公网地址（PUBLIC_BASE_URL），用于模板固定文字中的链接',

  'statsGroup.channel': '按渠道',
  'statsGroup.mailbox': '按信箱',
  'statsGroup.kind': '按类型',
  'statsGroup.origin': '按来源',
  'statsBucket.day': '按日',
  'statsBucket.week': '按周',
  'statsBucket.month': '按月',
  'channelHealth.ok': '正常',
  'channelHealth.sandbox': '沙箱',
  'channelHealth.failing': '有错误',
  'templateSource.default': '内置默认',
  'templateSource.file': '配置文件',
  'templateSource.staff': '人员修改',

  'problem.template_invalid': '模板不符合发送规则',
  'problem.request_invalid': '输入有误',
  'problem.bad_request': '请求格式有误',
  'problem.body_invalid_json': '请求内容不是有效的 JSON',
  'problem.csrf_invalid': '页面已过期，请刷新后重试',
  'problem.role_forbidden': '你的角色不能执行此操作',
  'problem.account_locked': '账号已临时锁定，请稍后再试',
  'problem.login_failed': '用户名或密码错误',
  'problem.session_expired': '会话已结束，请重新登录',
  'problem.unauthorized': '请先登录',
  'problem.forbidden': '没有权限',
  'problem.rate_limited': '请求过多，请稍后再试',
  'problem.conflict': '当前状态下不能这样操作',
  'problem.not_found': '找不到',
  'problem.letter_not_found': '没有这封来信',
  'problem.delivery_not_found': '没有这条消息',
  'problem.body_too_large': '提交的内容太大',
  'problem.internal': '系统内部错误',
  'problem.not_ready': '系统尚未就绪',
} as const;

export const zhCN = composeCatalogue(
  core,
  prefixed('templateKey', messageKeys),
  prefixed('kind', kindLabels),
  prefixed('origin', originLabels), // each channel adds its own name as an origin too
  prefixed('surveyScore', scoreLabels),
  consoleLetter,
  consoleLetters,
  consoleStats,
  consoleTopics,
  consoleApi,
  consoleApp,
  consoleChart,
  consoleDialog,
  consoleI18n,
  consoleIndex,
  consoleList,
  consolePageAdmin,
  consolePageAlerts,
  consolePageChannels,
  consolePageCitizens,
  consolePageDeliveries,
  consolePageKeys,
  consolePageReports,
  consolePageSandbox,
  consolePageTemplates,
  consolePreview,
  consoleTemplateForm,
  sandboxTexts,
  conversationTexts,
  letterTexts,
  mpTexts,
  statsTexts,
  templateTexts,
  adminTexts,
  registrationTexts,
  privacyTexts,
);
