import test from 'ava';
import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { apiBasesFrom, ApiBaseError } from '../../miniprogram/tools/api-bases.js';
import { mpRoot } from './_simulate.js';

const run = promisify(execFile);

test('when nothing is configured, then every version talks to the local development gateway', (t) => {
  t.deepEqual(apiBasesFrom({}, false), {
    develop: 'http://localhost:8080',
    trial: 'http://localhost:8080',
    release: 'http://localhost:8080',
  });
});

test('when each version has its address, then each gets its own, without a trailing slash', (t) => {
  const env = {
    MP_API_BASE_DEVELOP: 'http://192.168.1.5:8080/',
    MP_API_BASE_TRIAL: 'https://test.12345.example.cn',
    MP_API_BASE_RELEASE: 'https://12345.example.cn/',
  };
  t.deepEqual(apiBasesFrom(env, true), {
    develop: 'http://192.168.1.5:8080',
    trial: 'https://test.12345.example.cn',
    release: 'https://12345.example.cn',
  });
});

test('when a release build is given no https address, then it refuses', (t) => {
  t.throws(() => apiBasesFrom({ MP_API_BASE_TRIAL: 'https://t.example.cn' }, true), {
    instanceOf: ApiBaseError,
    message: /needs MP_API_BASE_RELEASE/,
  });
  t.throws(
    () =>
      apiBasesFrom({ MP_API_BASE_TRIAL: 'https://t.example.cn', MP_API_BASE_RELEASE: 'http://12345.example.cn' }, true),
    { message: /refuses MP_API_BASE_RELEASE/ },
  );
  t.throws(
    () =>
      apiBasesFrom({ MP_API_BASE_TRIAL: 'http://t.example.cn', MP_API_BASE_RELEASE: 'https://12345.example.cn' }, true),
    { message: /refuses MP_API_BASE_TRIAL/ },
  );
  t.throws(() => apiBasesFrom({ MP_API_BASE_RELEASE: 'http://12345.example.cn' }, false), { message: /must be https/ });
  t.throws(() => apiBasesFrom({ MP_API_BASE_DEVELOP: 'ftp://x' }, false), { message: /http\(s\)/ });
});

test('when the release build is run with an http address, then it stops before writing anything', async (t) => {
  const before = readFileSync(join(mpRoot, 'env.js'), 'utf8');
  const err = await t.throwsAsync(
    run(process.execPath, ['--import', 'tsx', join(mpRoot, 'tools', 'build.ts'), '--release'], {
      env: {
        ...process.env,
        MP_API_BASE_TRIAL: 'https://t.example.cn',
        MP_API_BASE_RELEASE: 'http://12345.example.cn',
      },
    }),
  );
  t.regex(String((err as { stderr?: string }).stderr), /build refused: a release build refuses MP_API_BASE_RELEASE/);
  t.is(readFileSync(join(mpRoot, 'env.js'), 'utf8'), before);
});

test('when the app is built, then the shared bundle carries zod with the zh-CN locale only', (t) => {
  const bundle = readFileSync(join(mpRoot, 'shared', 'index.js'), 'utf8');
  t.true(statSync(join(mpRoot, 'shared', 'index.js')).size < 240 * 1024, 'the bundle was 472 KB with every locale');
  t.true(bundle.includes('无效输入'), 'zod speaks Chinese');
  t.false(bundle.includes('Ungültige'), 'no German');
  t.false(bundle.includes('Invalid string: must'), 'no English locale');
});
