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
import { loadCatalogue, t } from './i18n.js';
import { alertsPage } from './page-alerts.js';
import { reportsPage } from './page-reports.js';
import { topicsNav } from './page-topics.js';

// Titles are catalogue keys: the catalogue loads after this module does.
const pages = [
  { path: 'templates', title: 'console.app.templates', role: 'viewer', render: templatesPage },
  { path: 'letters', title: 'console.app.letters', role: 'viewer', render: lettersPage },
  { path: 'deliveries', title: 'console.app.deliveries', role: 'viewer', render: deliveriesPage },
  { path: 'channels', title: 'console.app.channels', role: 'viewer', render: channelsPage },
  { path: 'stats', title: 'console.app.stats', role: 'viewer', render: statsPage },
  { path: 'alerts', title: 'console.app.alerts', role: 'viewer', render: alertsPage },
  { path: 'reports', title: 'console.app.reports', role: 'viewer', render: reportsPage },
  { path: 'sandbox', title: 'console.app.sandbox', role: 'viewer', render: sandboxPage },
  topicsNav,
  { path: 'keys', title: 'console.app.apiKeys', role: 'admin', render: keysPage },
  { path: 'staff', title: 'console.app.staff', role: 'admin', render: staffPage },
  { path: 'audit', title: 'console.app.audit', role: 'admin', render: auditPage },
  { path: 'citizens', title: 'console.app.citizens', role: 'admin', render: citizensPage },
  { path: 'password', title: 'console.app.changePassword', role: 'viewer', render: passwordPage, hidden: true },
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
      .map((p) => h('a', { href: `#/${p.path}`, 'aria-current': p.path === current ? 'page' : undefined }, t(p.title))),
  );
  mount(
    me,
    h('span', {}, `${session.staff.displayName}（${labels.role[session.staff.role]}）`),
    h('a', { href: '#/password', class: 'button secondary' }, t('console.app.changePassword')),
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
      t('console.app.logout'),
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
          err.textContent = x.status === 401 ? t('console.app.loginFailed') : x.message;
        }
      },
    },
    h('h2', {}, t('console.app.login')),
    h('label', { for: 'login-user' }, t('console.app.username')),
    user,
    h('label', { for: 'login-pass' }, t('console.app.password')),
    pass,
    err,
    h('button', { type: 'submit' }, t('console.app.login')),
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
  document.title = t('console.app.pageTitle', { title: t(page.title) });
  mount(main, h('p', {}, t('console.app.loading')));
  try {
    if (page.path === 'letters' && parts[1]) await letterPage(main, parts[1]);
    else await page.render(main, parts.slice(1));
  } catch (x) {
    mount(main, h('p', { role: 'alert', class: 'problems' }, t('console.app.errorMessage', { message: x.message })));
  }
  main.focus({ preventScroll: true });
}

window.addEventListener('hashchange', route);
window.addEventListener('unhandledrejection', (e) =>
  toast(t('console.app.actionFailed', { problem: e.reason?.message ?? e.reason })),
);
export { api };
loadCatalogue().then(route, route);
