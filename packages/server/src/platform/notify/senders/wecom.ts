import { markdownLinks, postJson, robotAnswer, type Sender } from './sender.js';

interface WeComConfig {
  url: string;
  mentionedMobiles?: string[];
}

/** A WeCom group robot: markdown, or text when it must @ people by mobile (markdown cannot). */
export const sendWeCom: Sender = async (input) => {
  const c = input.config as unknown as WeComConfig;
  const m = input.msg;
  const body = c.mentionedMobiles?.length
    ? { msgtype: 'text', text: { content: [m.title, m.text, m.link ?? ''].filter(Boolean).join('\n'), mentioned_mobile_list: c.mentionedMobiles } }
    : { msgtype: 'markdown', markdown: { content: [`### ${m.title}`, m.text, markdownLinks(m, { open: '查看', ack: '认领', resolve: '解决' })].filter(Boolean).join('\n') } };
  return robotAnswer(await postJson(input, c.url, body), 'errcode', 'errmsg');
};
