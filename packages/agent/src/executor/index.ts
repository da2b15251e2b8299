/** The agent's task executor: runs scripts in their own process groups with bounded output. */
export { runTask, DEFAULT_KILL_GRACE_MS, DEFAULT_PIPE_DRAIN_MS, type RunTaskOptions, type TaskRunSettings } from './run-task.js';
export { Executor, createExecutor, DEFAULT_MAX_TASKS, type ExecutorOptions, type RunOptions } from './executor.js';
export { DEFAULT_OUTPUT_LIMITS, TaskOutput, type OutputChunk, type OutputLimits, type OutputSink } from './task-output.js';
export { resolveInterpreter, parseShebang, type Invocation } from './interpreter.js';
