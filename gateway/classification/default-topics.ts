// The topic taxonomy a new installation starts with, close to what 12345 platforms use; staff edit it in the console
// (each edit a new version). Keywords drive inference for free-text letters: a keyword found in the text votes for
// its topic, longer keywords weigh more.
export interface TopicEntry {
  code: string;
  name: string;
  keywords: string[];
}

export const defaultTopics: TopicEntry[] = [
  { code: 'city-management', name: '城市管理', keywords: ['占道', '摆摊', '流动摊贩', '垃圾', '环卫', '井盖', '路灯', '违章建筑', '违建', '广告牌', '城管', '绿化', '树木', '共享单车', '乱堆', '乱放', '市容', '公厕', '渣土'] },
  { code: 'housing', name: '城乡住房', keywords: ['物业', '小区', '房产证', '不动产', '业主', '开发商', '交房', '房屋', '漏水', '电梯', '公租房', '拆迁', '棚改', '维修基金', '楼盘', '装修', '租房'] },
  { code: 'traffic', name: '交通管理', keywords: ['交通', '红绿灯', '信号灯', '停车', '公交', '地铁', '堵车', '拥堵', '违停', '出租车', '网约车', '道路', '斑马线', '车辆', '驾驶', '限行', '电瓶车', '电动车'] },
  { code: 'environment', name: '环境保护', keywords: ['噪音', '噪声', '扰民', '污染', '异味', '臭味', '油烟', '排污', '污水', '废气', '粉尘', '扬尘', '环保', '排放', '黑臭'] },
  { code: 'labour', name: '劳动和社会保障', keywords: ['工资', '欠薪', '拖欠', '社保', '养老金', '医保', '劳动合同', '加班', '辞退', '失业', '工伤', '公积金', '农民工', '退休'] },
  { code: 'education', name: '教育', keywords: ['学校', '学生', '老师', '教师', '入学', '幼儿园', '补课', '培训机构', '学位', '招生', '校外', '作业', '中考', '高考', '学区'] },
  { code: 'health', name: '卫生健康', keywords: ['医院', '医生', '看病', '挂号', '疫苗', '药店', '诊所', '卫生', '医疗', '护士', '体检', '病人'] },
  { code: 'market', name: '市场监管', keywords: ['商家', '消费', '退款', '假货', '食品安全', '过期', '价格', '虚假宣传', '商品', '预付卡', '办卡', '餐馆', '餐厅', '质量', '维权'] },
  { code: 'public-security', name: '公安', keywords: ['派出所', '报警', '诈骗', '盗窃', '户口', '身份证', '治安', '打架', '赌博', '警察', '民警', '落户'] },
  { code: 'agriculture', name: '农业农村', keywords: ['农村', '农民', '耕地', '土地流转', '农田', '种植', '养殖', '村委', '村民', '宅基地', '农业', '灌溉'] },
  { code: 'utilities', name: '水电气', keywords: ['停水', '停电', '水压', '水费', '电费', '燃气', '天然气', '供水', '供电', '自来水', '水管', '暖气', '断电', '断水', '电表', '水表'] },
  { code: 'civil-affairs', name: '民政', keywords: ['低保', '养老院', '残疾', '救助', '婚姻登记', '殡葬', '社区服务', '老年人', '高龄补贴'] },
  { code: 'culture-tourism', name: '文化旅游', keywords: ['景区', '旅游', '门票', '导游', '博物馆', '图书馆', '演出', '网吧', '文化'] },
  { code: 'other', name: '其他', keywords: [] },
];
