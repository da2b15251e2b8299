import { AGENT_STATUSES, type AgentStatus } from '@opsline/contracts';
import type { VNode } from 'vue';
import { statusTag, type TagType } from '../../../platform/components/cells';
import { i18n } from '../../../platform/i18n';

const TAG_TYPE: Record<AgentStatus, TagType> = { online: 'success', offline: 'default', revoked: 'error' };

export const agentStatusTag = (status: AgentStatus): VNode => statusTag(i18n.global.t(`agents.statuses.${status}`), TAG_TYPE[status], 'agent-status');

export const agentStatusOptions = () => AGENT_STATUSES.map((value) => ({ value, label: i18n.global.t(`agents.statuses.${value}`) }));
