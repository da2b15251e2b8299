/**
 * How to start an agent with a new token, on the server this console is
 * served from: the one-line install (needs Node.js ≥ 20 on the host), and
 * the agent from a checkout of this repository. `grpcPort` is the port the
 * server says its agents dial.
 */
export function installCommands(token: string, grpcPort: number, where: Pick<Location, 'origin' | 'hostname'> = window.location) {
  return {
    install: `curl -fsSL ${where.origin}/api/v1/agents/install.sh | sudo sh -s -- --token ${token}`,
    fromRepo: `npx opsline agent --server grpc://${where.hostname}:${grpcPort} --token ${token}`,
  };
}
