import { render, variables } from '../template.js';
import { SendFailed, type Sender } from './sender.js';

interface SmsConfig {
  kind: 'sms' | 'voice';
  url: string;
  method: 'POST' | 'PUT';
  contentType: 'application/json' | 'application/x-www-form-urlencoded';
  headers?: Record<string, string>;
  body: string;
  to: string[];
}

/** Each value escaped for where it lands: inside a JSON string, or a form field. */
const escapers = {
  'application/json': (s: string) => JSON.stringify(s).slice(1, -1),
  'application/x-www-form-urlencoded': (s: string) => encodeURIComponent(s),
};

/** Any SMS/voice gateway: the body template filled once per number; every number must be accepted. */
export const sendSms: Sender = async (input) => {
  const c = input.config as unknown as SmsConfig;
  const answers: string[] = [];
  let status: number | null = null;
  for (const to of c.to) {
    const body = render(c.body, { ...variables(input.msg), to, kind: c.kind }, escapers[c.contentType]);
    const res = await input.http(c.method, c.url, { ...(c.headers ?? {}), 'content-type': c.contentType }, body);
    status = res.status;
    if (res.status < 200 || res.status >= 300) throw new SendFailed(`the gateway answered ${res.status} for ${to}`, res.status, res.body);
    answers.push(`${to}: ${res.body}`);
  }
  return { status, answer: answers.join('\n') };
};
