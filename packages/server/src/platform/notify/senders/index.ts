import type { ChannelType } from '@opsline/contracts';
import { sendDingTalk } from './dingtalk.js';
import { sendEmail } from './email.js';
import { sendFeishu } from './feishu.js';
import { sendPagerDuty } from './pagerduty.js';
import type { Sender } from './sender.js';
import { sendSlack } from './slack.js';
import { sendSms } from './sms.js';
import { sendWebhook } from './webhook.js';
import { sendWeCom } from './wecom.js';

/** How each channel type sends. */
export const SENDERS: Record<ChannelType, Sender> = {
  email: sendEmail, webhook: sendWebhook, dingtalk: sendDingTalk, feishu: sendFeishu, wecom: sendWeCom, slack: sendSlack, pagerduty: sendPagerDuty, sms: sendSms,
};
export { SendFailed, type Outgoing } from './sender.js';
