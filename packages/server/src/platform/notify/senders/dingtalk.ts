import { createHmac } from 'node:crypto';
import { markdownLinks, postJson, robotAnswer, type Sender } from './sender.js';

interface DingTalkConfig {
  url: string;
  secret?: string;
  atMobiles?: string[];
  atAll?: boolean;
}

/**
 * DingTalk's signature (加签): HMAC-SHA256 keyed with the secret over
 * `timestamp + "\n" + secret`, timestamp in milliseconds, base64, then
 * URL-encoded into the query with the timestamp.
 */
export function dingtalkSign(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
}

export const sendDingTalk: Sender = async (input) => {
  const c = input.config as unknown as DingTalkConfig;
  const url = new URL(c.url);
  if (c.secret) {
    const ts = input.msg.at.getTime();
    url.searchParams.set('timestamp', String(ts));
    url.searchParams.set('sign', dingtalkSign(c.secret, ts));
  }
  const mentions = (c.atMobiles ?? []).map((m) => `@${m}`).join(' ');
  const links = markdownLinks(input.msg, { open: '查看', ack: '认领', resolve: '解决' });
  const text = [`### ${input.msg.title}`, input.msg.text, links, mentions].filter(Boolean).join('\n\n');
  const res = await postJson(input, url.toString(), {
    msgtype: 'markdown',
    markdown: { title: input.msg.title, text },
    at: { atMobiles: c.atMobiles ?? [], isAtAll: c.atAll ?? false },
  });
  return robotAnswer(res, 'errcode', 'errmsg');
};
