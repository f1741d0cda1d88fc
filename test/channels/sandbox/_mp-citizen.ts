// A sandbox mini-program citizen: signed in with a development code, and a way to post to /mp as them.
export async function mpCitizen(baseUrl: string, name: string) {
  const s = await fetch(`${baseUrl}/mp/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: `dev:${name}` }),
  });
  const { token } = (await s.json()) as { token: string };
  const call = (path: string, json: unknown) =>
    fetch(baseUrl + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(json),
    });
  return { openid: `dev-${name}`, call };
}
