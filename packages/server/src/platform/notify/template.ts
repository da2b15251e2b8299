import type { MessageTemplate } from '@opsline/contracts';
import type { Outgoing } from './senders/sender.js';

/** A message's template variables ({{title}}, {{link}} …) as strings; absent ones are empty. */
export function variables(msg: Outgoing): Record<string, string> {
  return {
    title: msg.title, text: msg.text, severity: msg.severity, source: msg.source, link: msg.link ?? '', ackLink: msg.ackLink ?? '',
    resolveLink: msg.resolveLink ?? '', at: msg.at.toISOString(),
  };
}

/**
 * Fills {{name}} from `vars`, each value passed through `escape` (JSON string
 * escaping, URL encoding…); an unknown name stays as written, so a typo shows.
 */
export function render(template: string, vars: Record<string, string>, escape: (s: string) => string = (s) => s): string {
  return template.replace(/\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g, (whole, name: string) => (name in vars ? escape(vars[name] ?? '') : whole));
}

/** The channel's title/text templates applied, when it has them. */
export function applyTemplate(msg: Outgoing, template: MessageTemplate | null): Outgoing {
  if (!template?.title && !template?.text) return msg;
  const vars = variables(msg);
  return { ...msg, title: template.title ? render(template.title, vars) : msg.title, text: template.text ? render(template.text, vars) : msg.text };
}
