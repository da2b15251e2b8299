import { createHmac } from 'node:crypto';
import { postJson, robotAnswer, type Sender } from './sender.js';

interface FeishuConfig {
  url: string;
  secret?: string;
}

/**
 * Feishu/Lark's signature: HMAC-SHA256 keyed with `timestamp + "\n" +
 * secret` over nothing, timestamp in seconds, base64; sent in the body.
 */
export function feishuSign(secret: string, timestampSec: number): string {
  return createHmac('sha256', `${timestampSec}\n${secret}`).update('').digest('base64');
}

export const sendFeishu: Sender = async (input) => {
  const c = input.config as unknown as FeishuConfig;
  const m = input.msg;
  const lines: { tag: string; text?: string; href?: string }[][] = [[{ tag: 'text', text: m.text }]];
  const links = [
    m.link ? { tag: 'a', text: '查看', href: m.link } : null,
    m.ackLink ? { tag: 'a', text: '认领', href: m.ackLink } : null,
    m.resolveLink ? { tag: 'a', text: '解决', href: m.resolveLink } : null,
  ].filter((x) => x !== null);
  if (links.length) lines.push(links.flatMap((l, i) => (i ? [{ tag: 'text', text: '  ' }, l] : [l])));
  const signed = c.secret ? (() => {
    const ts = Math.floor(m.at.getTime() / 1000);
    return { timestamp: String(ts), sign: feishuSign(c.secret, ts) };
  })() : {};
  const res = await postJson(input, c.url, { ...signed, msg_type: 'post', content: { post: { zh_cn: { title: m.title, content: lines } } } });
  return robotAnswer(res, 'code', 'msg');
};
