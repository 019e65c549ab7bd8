/** A Web API call the way any Slack client makes it (form-encoded POST with the bot token), for `slack-send`. */
export function slackApi(apiUrl: string, token: string) {
  return async <T = Record<string, unknown>>(method: string, params: Record<string, string>): Promise<T> => {
    const res = await fetch(`${apiUrl.replace(/\/?$/, '/')}${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params),
    });
    return (await res.json()) as T;
  };
}
