// Public surface of the local stack (ClickHouse, Kafka, Prometheus) for the CLI, the tests'
// global setup and other tests.
export { stackUp, stackEnv, exportLines } from "./stack.js";
export { stackDown, stackStatus } from "./stack-status.js";
export { chooseStackPorts, startTestStack } from "./test-stack.js";
export type {
  ChoosePortsOptions,
  PortChoice,
  PortMove,
  TestStack,
  TestStackOptions,
} from "./test-stack.js";
export { describeOwner, ownerLabel } from "./ownership.js";
export type { OwnerKind, ServerOwner } from "./ownership.js";
export type { StackServer } from "./servers.js";
export { StackError } from "./errors.js";
export type {
  StackOptions,
  StackEnv,
  StackUpResult,
  StackStatusResult,
  ComponentReport,
} from "./stack.js";
export type { ComponentName } from "./components.js";
export { DEFAULT_PORTS, InvalidPortError, PORT_ENV_VARS, resolvePorts } from "./ports.js";
export type { StackPorts } from "./ports.js";
export { resolveStackDir } from "./layout.js";
export { startPrivateClickHouse } from "./private-clickhouse.js";
export { startPrivateKafka } from "./private-kafka.js";
export { KAFKA_COMPAT_VERSION, KAFKA_VERSION } from "./kafka-config.js";
export type { PrivateKafka, PrivateKafkaOptions } from "./private-kafka.js";
export type { PrivateClickHouse, PrivateClickHouseOptions } from "./private-clickhouse.js";
export { registerPrometheusTarget } from "./prometheus-targets.js";
export type { PrometheusTarget, PrometheusTargetOptions } from "./prometheus-targets.js";
export { findFreePort } from "./probes.js";
export { ensureMlflow, MLFLOW_VERSION, startMlflowServer } from "./mlflow-server.js";
export type { MlflowInstall, MlflowServer, MlflowServerOptions } from "./mlflow-server.js";
export { DEFAULT_MLFLOW_PORT, mlflowStackDown, mlflowStackUp } from "./mlflow-stack.js";
export type { MlflowStackResult } from "./mlflow-stack.js";
export {
  clusterDown,
  clusterEnv,
  clusterServerHandles,
  clusterStatus,
  clusterUp,
} from "./cluster/cluster-stack.js";
export type {
  ClusterBroker,
  ClusterClickHouseServer,
  ClusterEnv,
  ClusterOptions,
  ClusterServer,
  ClusterServerHandle,
  ClusterStatusResult,
  ClusterUpResult,
} from "./cluster/cluster-stack.js";
export {
  CLUSTER_BASE_PORT_ENV,
  CLUSTER_NAME,
  DEFAULT_CLUSTER_BASE_PORT,
  PORT_SPAN as CLUSTER_PORT_SPAN,
} from "./cluster/cluster-layout.js";
export { freeClusterBasePort } from "./cluster/free-base-port.js";
