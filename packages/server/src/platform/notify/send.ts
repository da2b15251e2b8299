import nodemailer from 'nodemailer';
import type { NotifyMessage } from '@opsline/contracts';

const WEBHOOK_TIMEOUT_MS = 10_000;

/** Posts the message as JSON; a non-2xx answer is a failure naming the status. */
export async function sendWebhook(url: string, headers: Record<string, string>, msg: NotifyMessage, at: Date): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json', 'user-agent': 'opsline-notify' },
    body: JSON.stringify({ title: msg.title, text: msg.text, severity: msg.severity, link: msg.link ?? null, source: msg.source, at: at.toISOString() }),
    redirect: 'manual',
    signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
  });
  await res.body?.cancel();
  if (res.status < 200 || res.status >= 300) throw new Error(`the webhook answered ${res.status}`);
}

/** Sends a plain-text mail through OPSLINE_SMTP_URL. */
export async function sendEmail(smtp: { url: string; from: string } | undefined, to: string[], msg: NotifyMessage): Promise<void> {
  if (!smtp) throw new Error('no mail server: set OPSLINE_SMTP_URL (smtp://user:pass@host:587)');
  const transport = nodemailer.createTransport(smtp.url);
  try {
    await transport.sendMail({
      from: smtp.from, to, subject: `[Opsline] ${msg.title}`,
      text: `${msg.text}\n\nSeverity: ${msg.severity}${msg.link ? `\nOpen: ${msg.link}` : ''}\n(${msg.source})`,
    });
  } finally {
    transport.close();
  }
}
