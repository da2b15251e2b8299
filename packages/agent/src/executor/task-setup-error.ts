/**
 * A task that cannot start (bad input, unknown interpreter, run-as refused,
 * missing workdir). It becomes a `failed` result whose `error` is this
 * message, so it must read well to the person who submitted the task.
 */
export class TaskSetupError extends Error {
  override readonly name = 'TaskSetupError';
}
