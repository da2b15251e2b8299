import { postJson, type Sender } from './sender.js';

/** A Slack incoming webhook: mrkdwn text with the links; Slack answers `ok`. */
export const sendSlack: Sender = async (input) => {
  const m = input.msg;
  const links = [m.link ? `<${m.link}|Open>` : '', m.ackLink ? `<${m.ackLink}|Acknowledge>` : '', m.resolveLink ? `<${m.resolveLink}|Resolve>` : ''].filter(Boolean).join(' · ');
  const res = await postJson(input, (input.config as { url: string }).url, { text: [`*${m.title}*`, m.text, links].filter(Boolean).join('\n') });
  return { status: res.status, answer: res.body };
};
