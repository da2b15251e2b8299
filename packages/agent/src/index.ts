/**
 * @opsline/agent: the host agent. So far its executor; enrollment, the gRPC
 * transport, facts/metrics collectors and durable state follow (issue 4).
 */
export * from './executor/index.js';
