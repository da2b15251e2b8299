import { CreateIncidentBody, type Level } from '@opsline/contracts';
import type { FormRules } from 'naive-ui';
import { schemaRule } from '../../../platform/forms/rules';

export interface IncidentModel {
  title: string;
  description: string;
  impact: Level;
  urgency: Level;
  nodeId: string | null;
  assigneeId: string | null;
}

export const incidentModel = (): IncidentModel => ({ title: '', description: '', impact: 'medium', urgency: 'medium', nodeId: null, assigneeId: null });

export const incidentRules = (): FormRules => ({
  title: schemaRule(CreateIncidentBody.shape.title, { required: true }),
  description: schemaRule(CreateIncidentBody.shape.description),
});

export const createBody = (m: IncidentModel): CreateIncidentBody => ({
  title: m.title.trim(),
  impact: m.impact,
  urgency: m.urgency,
  ...(m.description.trim() && { description: m.description.trim() }),
  ...(m.nodeId && { nodeId: m.nodeId }),
  ...(m.assigneeId && { assigneeId: m.assigneeId }),
});
