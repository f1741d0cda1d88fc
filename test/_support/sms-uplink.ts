// An SMS from a citizen as Aliyun pushes it to the gateway (one uplink item in a push), signed with the push token.
let nextSequenceId = 900_000;

export function postSmsUplink(
  baseUrl: string,
  token: string,
  phone: string,
  content: string,
  sequenceId = nextSequenceId++,
): Promise<Response> {
  return fetch(`${baseUrl}/sms/aliyun/uplink?token=${token}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([
      {
        phone_number: phone,
        send_time: '2026-11-26 10:00:00',
        content,
        sign_name: '成都网络理政',
        dest_code: '1234',
        sequence_id: sequenceId,
      },
    ]),
  });
}
