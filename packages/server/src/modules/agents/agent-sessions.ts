import type { TaskAssignment } from '@opsline/contracts';

/** One connected agent's stream, as the execution layer drives it. */
export interface AgentLink {
  agentId: string;
  assign(task: TaskAssignment): void;
  kill(taskId: string, reason: string): void;
  ackResult(taskId: string): void;
  /** Ends the stream (revocation): the agent is told why first. */
  close(reason: string): void;
}

/**
 * The agents connected to this server. An agent holds one stream; a newer
 * stream from the same agent replaces the older one.
 */
export class AgentSessions {
  private readonly links = new Map<string, AgentLink>();

  add(link: AgentLink): void {
    const old = this.links.get(link.agentId);
    this.links.set(link.agentId, link);
    if (old && old !== link) old.close('replaced by a newer connection');
  }

  /** Forgets the link if it is still the current one; true when it was. */
  remove(link: AgentLink): boolean {
    if (this.links.get(link.agentId) !== link) return false;
    this.links.delete(link.agentId);
    return true;
  }

  get(agentId: string): AgentLink | undefined {
    return this.links.get(agentId);
  }

  isConnected = (agentId: string): boolean => this.links.has(agentId);

  count(): number {
    return this.links.size;
  }
}
