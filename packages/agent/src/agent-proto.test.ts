import { fileURLToPath } from 'node:url';
import { loadSync, type MessageTypeDefinition, type ServiceDefinition } from '@grpc/proto-loader';
import { ExecTask, TASK_STATUSES } from '@opsline/contracts';
import { describe, expect, it } from 'vitest';

/** The protocol file the agent and server load with @grpc/proto-loader. */
const PROTO = fileURLToPath(new URL('../../../proto/agent/v1/agent.proto', import.meta.url));
const pkg = loadSync(PROTO, { keepCase: false, longs: Number, enums: String, defaults: true, oneofs: true, bytes: Buffer });

const message = (name: string) => pkg[`opsline.agent.v1.${name}`] as MessageTypeDefinition<object, Record<string, unknown>>;
const fieldNames = (name: string) =>
  (message(name).type as { field: { name: string }[] }).field.map((f) => f.name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()));

describe('proto/agent/v1/agent.proto', () => {
  it('declares Enroll as unary and Connect as a bidirectional stream', () => {
    const service = pkg['opsline.agent.v1.AgentService'] as ServiceDefinition;
    expect(service.Enroll).toMatchObject({ path: '/opsline.agent.v1.AgentService/Enroll', requestStream: false, responseStream: false });
    expect(service.Connect).toMatchObject({ path: '/opsline.agent.v1.AgentService/Connect', requestStream: true, responseStream: true });
  });

  it('carries every field of a task (contracts ExecTask) in TaskAssign', () => {
    expect(fieldNames('TaskAssign')).toEqual(expect.arrayContaining(['taskId', ...Object.keys(ExecTask.shape)]));
  });

  it('has a TaskStatus for every status of contracts TaskStatus', () => {
    const values = (pkg['opsline.agent.v1.TaskStatus']?.type as { value: { name: string }[] }).value.map((v) => v.name);
    expect(values).toEqual(['TASK_STATUS_UNSPECIFIED', ...TASK_STATUSES.map((s) => `TASK_STATUS_${s.toUpperCase()}`)]);
  });

  it('round-trips agent and server messages through their wire encoding', () => {
    const agentMessage = message('AgentMessage');
    const output = { taskOutput: { taskId: 't1', stream: 'OUTPUT_STREAM_STDERR', seq: 7, offset: 65536, data: Buffer.from([0, 1, 255]) } };
    expect(agentMessage.deserialize(agentMessage.serialize(output))).toMatchObject({ body: 'taskOutput', ...output });

    const serverMessage = message('ServerMessage');
    const assign = {
      messageId: 'm1',
      taskAssign: { taskId: 't1', script: 'echo hi', interpreter: 'bash', args: ['a b'], env: { A: '1' }, params: { P: '$(x)' }, runAs: 'deploy', workdir: '/srv', timeoutSec: 600 },
    };
    expect(serverMessage.deserialize(serverMessage.serialize(assign))).toMatchObject({ body: 'taskAssign', ...assign });
  });
});
