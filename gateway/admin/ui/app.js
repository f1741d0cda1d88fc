// The console's shell: hash routes, the navigation for the staff member's role, and the login page.
import { h, mount, toast } from './dom.js';
import { api, can, loadSession, login, logout, session, labels } from './api.js';
import { templatesPage } from './page-templates.js';
import { lettersPage } from './page-letters.js';
import { letterPage } from './page-letter.js';
import { deliveriesPage } from './page-deliveries.js';
import { keysPage } from './page-keys.js';
import { channelsPage } from './page-channels.js';
import { statsPage } from './page-stats.js';
import { sandboxPage } from './page-sandbox.js';
import { auditPage, passwordPage, staffPage } from './page-admin.js';
import { citizensPage } from './page-citizens.js';
import { loadCatalogue } from './i18n.js';
import { alertsPage } from './page-alerts.js';
import { reportsPage } from './page-reports.js';
import { topicsNav } from './page-topics.js';

const pages = [
  { path: 'templates', title: '消息模板', role: 'viewer', render: templatesPage },
  { path: 'letters', title: '来信', role: 'viewer', render: lettersPage },
  { path: 'deliveries', title: '消息发送', role: 'viewer', render: deliveriesPage },
  { path: 'channels', title: '渠道状态', role: 'viewer', render: channelsPage },
  { path: 'stats', title: '统计', role: 'viewer', render: statsPage },
  { path: 'alerts', title: '预警', role: 'viewer', render: alertsPage },
  { path: 'reports', title: '月度报告', role: 'viewer', render: reportsPage },
  { path: 'sandbox', title: '沙箱模拟', role: 'viewer', render: sandboxPage },
  topicsNav,
  { path: 'keys', title: 'API 密钥', role: 'admin', render: keysPage },
  { path: 'staff', title: '人员', role: 'admin', render: staffPage },
  { path: 'audit', title: '审计日志', role: 'admin', render: auditPage },
  { path: 'citizens', title: '市民个人信息', role: 'admin', render: citizensPage },
  { path: 'password', title: '修改密码', role: 'viewer', render: passwordPage, hidden: true },
];

const main = document.getElementById('main');

function renderNav(current) {
  const nav = document.getElementById('nav');
  const me = document.getElementById('me');
  if (!session.staff) {
    mount(nav);
    mount(me);
    return;
  }
  mount(
    nav,
    pages
      .filter((p) => can(p.role) && !p.hidden)
      .map((p) => h('a', { href: `#/${p.path}`, 'aria-current': p.path === current ? 'page' : undefined }, p.title)),
  );
  mount(
    me,
    h('span', {}, `${session.staff.displayName}（${labels.role[session.staff.role]}）`),
    h('a', { href: '#/password', class: 'button secondary' }, '修改密码'),
    h(
      'button',
      {
        class: 'secondary',
        type: 'button',
        onclick: async () => {
          await logout();
          location.hash = '#/login';
        },
      },
      '退出',
    ),
  );
}

function loginPage() {
  const user = h('input', { id: 'login-user', name: 'username', autocomplete: 'username', required: true });
  const pass = h('input', {
    id: 'login-pass',
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const err = h('p', { role: 'alert', class: 'problems' });
  const form = h(
    'form',
    {
      class: 'card login',
      onsubmit: async (e) => {
        e.preventDefault();
        err.textContent = '';
        try {
          await login(user.value, pass.value);
          location.hash = '#/templates';
        } catch (x) {
          err.textContent = x.status === 401 ? '用户名或密码错误' : x.message;
        }
      },
    },
    h('h2', {}, '登录'),
    h('label', { for: 'login-user' }, '用户名'),
    user,
    h('label', { for: 'login-pass' }, '密码'),
    pass,
    err,
    h('button', { type: 'submit' }, '登录'),
  );
  mount(main, form);
  user.focus();
}

async function route() {
  const parts = location.hash.replace(/^#\/?/, '').split('?')[0].split('/').map(decodeURIComponent);
  if (!session.staff && parts[0] !== 'login') await loadSession();
  if (!session.staff) {
    renderNav();
    return loginPage();
  }
  const page = pages.find((p) => p.path === parts[0]);
  if (!page || !can(page.role)) {
    location.hash = '#/templates';
    return;
  }
  renderNav(page.path);
  document.title = `${page.title} · 来信网关管理台`;
  mount(main, h('p', {}, '正在加载…'));
  try {
    if (page.path === 'letters' && parts[1]) await letterPage(main, parts[1]);
    else await page.render(main, parts.slice(1));
  } catch (x) {
    mount(main, h('p', { role: 'alert', class: 'problems' }, `出错了：${x.message}`));
  }
  main.focus({ preventScroll: true });
}

window.addEventListener('hashchange', route);
window.addEventListener('unhandledrejection', (e) => toast(`操作失败：${e.reason?.message ?? e.reason}`));
export { api };
loadCatalogue().then(route, route);
