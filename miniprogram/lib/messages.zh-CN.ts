// What the app says to citizens when something fails: gateway error codes, WeChat API failures and fields, in one
// place. The gateway's own detail is shown only when it is Chinese; its English titles never reach a citizen.
export const messages = {
  'mp.network': '网络不通，请检查网络后再试',
  'mp.timeout': '网络太慢，请求超时了，请稍后再试',
  'mp.login': '微信登录失败，请稍后再试',
  'mp.generic': '操作没有成功，请稍后再试',
  'mp.code.bad_request': '请求有误，请重新打开小程序再试',
  'mp.code.body_invalid_json': '请求有误，请重新打开小程序再试',
  'mp.code.request_invalid': '请按提示修改后再提交',
  'mp.code.session_invalid': '登录已过期，请重新打开小程序',
  'mp.code.wechat_code_invalid': '微信验证码已失效，请再试一次',
  'mp.code.wechat_user_blocked': '微信暂时不允许此操作',
  'mp.code.wechat_rate_limited': '请求太频繁，请一分钟后再试',
  'mp.code.wechat_unavailable': '暂时连不上微信服务，请稍后再试',
  'mp.code.body_too_large': '照片太大，请换一张或截图后再传',
  'mp.code.text_too_long': '内容太长，请删减后再提交',
  'mp.code.upload_not_image': '只能上传JPG、PNG、GIF或WebP格式的照片',
  'mp.code.unsupported_media_type': '只能上传照片',
  'mp.code.rate_limited': '操作太频繁，请稍后再试',
  'mp.code.query_not_found': '没有找到这封信，请核对受理流水号和提取码',
  'mp.code.letter_not_found': '没有找到这封信',
  'mp.code.not_found': '没有找到要找的内容',
  'mp.code.conflict': '这封信的状态已经变了，请刷新后再试',
  'mp.code.idempotency_key_in_flight': '上一次提交还在处理中，请稍候再试',
  'mp.code.internal': '服务暂时出了问题，请稍后再试',
  'mp.code.not_ready': '服务正在启动，请稍后再试',
  'mp.field.clientKey': '提交标识无效，请重新填写',
  'mp.field.kind': '请选择来信类型',
  'mp.field.mailboxId': '请选择信箱',
  'mp.field.title': '标题有误，请修改',
  'mp.field.body': '内容有误，请修改',
  'mp.field.uploadIds': '照片有误，请删除后重新添加',
  'mp.field.location': '位置有误，请重新选择位置',
  'mp.field.name': '称呼有误，请修改',
  'mp.field.usePhone': '手机号有误，请重新验证',
  'mp.field.visibility': '请选择是否公开',
  'mp.field.score': '请选择满意程度',
  'mp.field.reason': '意见有误，请修改',
  'mp.field.serial': '请填写正确的受理流水号',
  'mp.field.code': '提取码是6位数字',
  'mp.field.text': '内容有误，请修改',
  'mp.field.topic': '请重新选择问题分类',
  'mp.field.region': '请重新选择所在区域',
  'mp.write.topic_label': '问题分类（可不选）',
  'mp.write.topic_none': '请选择问题分类',
  'mp.write.region_label': '问题发生在哪里（可不选）',
  'mp.write.region_none': '请选择区（市）县和乡镇（街道）',
  'mp.write.region_whole': '全区（市）县',
  'mp.write.region_from_mailbox': '已按所选信箱填写，如问题发生在别处请修改',
  'mp.write.region_from_location': '已按所选位置填写，如不对请修改',
  'mp.write.clear': '清除',
  'mp.write.not_chosen': '未选择',
  'mp.write.voice_start': '🎤 语音输入',
  'mp.write.voice_start_label': '语音输入：点一下开始说话，再点一下结束，识别的文字加在内容后面',
  'mp.write.voice_stop': '■ 说完了',
  'mp.write.voice_stop_label': '正在录音，点一下结束并识别',
  'mp.write.voice_recognising': '正在识别…',
  'mp.write.voice_recording_hint': '正在听，请说话，说完点“说完了”（最长1分钟）',
  'mp.write.voice_added': '已加入{n}个字，请核对识别结果',
  'mp.write.voice_cut': '内容已到{max}字上限，识别的文字只加入了{n}个字',
  'mp.write.voice_full': '内容已到{max}字上限，不能再加入语音识别的文字',
  'mp.write.voice_empty': '没有听清，请靠近手机再说一次',
  'mp.write.voice_too_short': '说话时间太短，没能识别，请再说一次',
  'mp.write.voice_busy': '上一段语音还在识别，请稍后再试',
  'mp.write.voice_mic_failed': '麦克风没能打开，请检查是否有其他应用在录音，稍后再试',
  'mp.write.voice_failed': '语音识别暂时不能用，请直接输入文字',
  'mp.write.voice_denied': '您没有允许使用麦克风，语音输入用不了。可以点“去设置”打开麦克风，也可以直接输入文字',
  'mp.write.voice_privacy_declined':
    '您没有同意隐私保护指引，语音输入暂时不能用。可以直接输入文字，也可以点“隐私保护指引”阅读后再同意',
  'mp.write.voice_undeclared': '小程序暂未开通语音输入（隐私保护指引未声明），请直接输入文字',
  'mp.write.voice_settings': '去设置',
  'mp.write.voice_settings_label': '打开设置页，允许使用麦克风',
  'mp.choices.failed': '问题分类和区域暂时加载不了，可以不选，直接提交',
  'mp.level.party-secretary': '市委书记信箱',
  'mp.level.mayor': '市长信箱',
  'mp.level.city-department': '市级部门',
  'mp.level.district': '区（市）县',
  'mp.level.street': '乡镇（街道）',
  'mp.mailboxes.pick': '选择',
  'mp.mailboxes.leaders': '市领导信箱',
  'mp.mailboxes.departments': '市级部门信箱',
  'mp.mailboxes.search': '搜索信箱，如“武侯区”“玉林”“教育局”',
  'mp.board.loading': '正在加载…',
  'mp.board.failed': '加载失败，请稍后再试',
  'mp.board.retry': '重新加载',
  'mp.board.empty': '暂无公开来信。',
  'mp.board.empty_hint': '来信人同意公开、并经审核的来信和答复会显示在这里。',
  'mp.board.more': '加载更多',
  'mp.board.loading_more': '正在加载更多…',
  'mp.board.end': '没有更多了',
  'mp.board.total': '共{n}封公开来信',
  'mp.board.found': '含“{q}”的公开来信共{n}封',
  'mp.board.search': '搜索公开来信',
  'mp.board.clear': '清除搜索',
  'mp.board.no_match': '没有找到相关的公开来信，换个词试试。',
  'mp.board.serial': '流水号 {serial}',
  'mp.board.reply': '答复',
  'mp.board.no_reply': '暂无答复',
  'mp.board.received': '来信时间：{time}',
  'mp.board.published': '公开时间：{time}',
  'mp.board.open': '打开公开来信：{title}',
  'mp.board.share': '网络理政：公开来信选登',
  'mp.board.untitled': '（无标题）',
  'mp.home.board': '公开来信',
  'mp.detail.topic': '问题分类',
  'mp.detail.region': '发生地',
  'mp.detail.department': '承办单位',
  'mp.detail.deadline': '办理时限',
  'mp.timeline.followup': '您的补充',
  'mp.timeline.other': '办理进展',
  'mp.timeline.photo': '补充的照片',
  'mp.messages.unread': '{n}条未读',
  'mp.messages.all_read': '没有未读消息',
  'mp.messages.read_all': '全部标为已读',
  'mp.fix-red': '请按红字提示修改后再提交',
  'mp.photo.too-big': '这张照片超过{max}，请换一张或截图后再传',
  'mp.photo.upload-failed': '照片上传失败，点照片重试',
  'mp.photo.vanished': '有{n}张照片已被微信清理，请重新添加',
  'mp.photo.not-saved': '照片没能保存到手机，请重新添加',
  'mp.privacy.declined':
    '您没有同意隐私保护指引，照片、位置、语音输入和手机号暂时不能用。不影响写信：可以不加照片和位置直接提交，也可以点“隐私保护指引”阅读后再同意。',
  'mp.privacy.page.microphone':
    '麦克风（语音输入）：您点“语音输入”时才录音，由微信同声传译插件识别成文字加在来信内容后面；录音不保存、不上传到本小程序的服务器。',
  'mp.privacy.undeclared': '小程序暂未开通此功能（隐私保护指引未声明），请不加照片或位置直接提交，或拨打12345热线反映',
  'mp.auth.denied': '您没有允许使用{what}，可以在右上角“···”→“设置”中打开',
  'mp.auth.what.chooseLocation': '位置',
  'mp.auth.what.chooseMedia': '相册或相机',
  'mp.auth.what.getPhoneNumber': '手机号',
  'mp.auth.what.setClipboardData': '剪贴板',
  'mp.auth.what.makePhoneCall': '拨打电话',
  'mp.fail.chooseLocation': '没能打开地图选择位置，请稍后再试',
  'mp.fail.chooseMedia': '没能选择照片，请稍后再试',
  'mp.fail.getPhoneNumber': '没能获取手机号，可以不留手机号直接提交',
  'mp.fail.setClipboardData': '复制失败，请手动记下受理流水号和提取码',
  'mp.fail.makePhoneCall': '没能拨打电话，请手动拨打',
  'mp.phone.declined': '您没有授权手机号，可以不留手机号直接提交',
  'mp.consent.declined': '您没有允许接收通知：办理进展请到“我的来信”或“消息”中查看',
  'mp.copied': '已复制',
} as const;

export type MessageKey = keyof typeof messages;

export function say(key: MessageKey, vars: Record<string, string | number> = {}): string {
  return messages[key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
}

/** True when a text is meant for citizens (has Chinese in it); English details from the gateway are replaced. */
export const isChinese = (s: string | undefined): s is string => typeof s === 'string' && /[\u4e00-\u9fff]/.test(s);

/** The catalogue's texts under a prefix, keyed by the rest of their key, for a page's WXML (`texts.topic_label`). */
export function texts(prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(messages)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  return out;
}

export function codeMessage(code: string): string {
  const key = `mp.code.${code}` as MessageKey;
  return key in messages ? messages[key] : messages['mp.generic'];
}

export function fieldMessage(field: string, given: string): string {
  if (isChinese(given)) return given;
  const key = `mp.field.${field}` as MessageKey;
  return key in messages ? messages[key] : messages['mp.generic'];
}
