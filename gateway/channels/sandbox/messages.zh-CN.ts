// Text the sandbox prints for whoever tries the channels by hand (push credentials and example commands).
export const messages = {
  'sandbox.tryNpmRunSandbox': '    try: npm run sandbox:push -- oa "小区路灯坏了" && npm run sandbox:push -- oa "提交"',
  'sandbox.tryNpmRunSandboxPush':
    '    try: npm run sandbox:push -- sms "小区路灯坏了" --from 13800138000 && npm run sandbox:push -- sms "提交" --from 13800138000',
  'sandbox.orCurlPostToken':
    '    or:  curl -X POST \'{url}{path}?token={token}\' -H \'content-type: application/json\' -d \'[{"phone_number":"13800138000","content":"小区路灯坏了","dest_code":"1069","sequence_id":\'$(date +%s%N)\'}]\'',
} as const;
