import nodemailer from 'nodemailer';
import { SendFailed, type Sender } from './sender.js';

/** A plain-text mail through OPSLINE_SMTP_URL. */
export const sendEmail: Sender = async ({ config, msg, smtp }) => {
  if (!smtp) throw new SendFailed('no mail server: set OPSLINE_SMTP_URL (smtp://user:pass@host:587)');
  const transport = nodemailer.createTransport(smtp.url);
  try {
    const links = [msg.link ? `Open: ${msg.link}` : '', msg.ackLink ? `Acknowledge: ${msg.ackLink}` : '', msg.resolveLink ? `Resolve: ${msg.resolveLink}` : ''].filter(Boolean);
    const info = await transport.sendMail({
      from: smtp.from, to: (config as { to: string[] }).to, subject: `[Opsline] ${msg.title}`,
      text: [msg.text, '', `Severity: ${msg.severity}`, ...links, `(${msg.source})`].join('\n'),
    });
    return { status: null, answer: String(info.response) };
  } finally {
    transport.close();
  }
};
