// Text staff and citizens read from the classification module (wired into the shared catalogue when it exists).
export const messages = {
  'classification.level.party-secretary': '市委书记信箱',
  'classification.level.mayor': '市长信箱',
  'classification.level.city-department': '市级部门',
  'classification.level.district': '区（市）县',
  'classification.level.street': '乡镇（街道）',
  'classification.unknown': '（未分类）',
  'classification.topic.invalid': '请选择有效的问题分类',
  'classification.region.invalid': '请选择本市的区（市）县或乡镇（街道）',
} as const;
