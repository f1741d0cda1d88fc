// Text of the console's page itself (ui/index.html), filled in on the server when the page is served.
export const messages = {
  'console.index.title': '来信网关管理台',
  'console.index.skip': '跳到正文',
  'console.index.nav': '主导航',
  'console.index.loading': '正在加载…',
} as const;
