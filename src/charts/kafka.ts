import type { Construct } from 'constructs';
import { KAFKA_CONFIG_PATH, KAFKA_DATA_PATH, KAFKA_LOG_DIR, KAFKA_NODES, kafkaEnvironment } from '../config/kafka';
import { StackChart, componentNetworkPolicy, type StackChartProps } from './chart';
import { disruptionBudget, livenessProbe, readinessProbe, statefulComponent, statefulServices } from './workload';

/**
 * Apache Kafka for Tempo's microservices (src/config/kafka.ts): a StatefulSet of three combined broker+controller
 * nodes, a PersistentVolumeClaim each, spread over nodes, a PodDisruptionBudget of one, and its NetworkPolicy (Tempo's
 * Kafka clients on the client port, the nodes among themselves on both ports). The headless Service lists nodes before
 * they are ready, since a node becomes ready only once the controllers, which find each other through it, have a quorum.
 */
export class KafkaChart extends StackChart {
  constructor(scope: Construct, id: string, props: StackChartProps) {
    super(scope, id);
    const { spec, ctx } = props;
    const component = 'kafka' as const;
    const { client, controller } = ctx.ports.kafka;
    const governingService = statefulServices(this, {
      spec,
      ctx,
      component,
      ports: [{ name: 'client', port: client }],
      peerPorts: [{ name: 'controller', port: controller }],
    });
    statefulComponent(this, {
      spec,
      ctx,
      component,
      governingService,
      replicas: KAFKA_NODES,
      fieldEnv: { POD_NAME: 'podName', KAFKA_NODE_ID: 'podIndex' },
      env: kafkaEnvironment(spec, ctx),
      ports: [
        { name: 'client', number: client },
        { name: 'controller', number: controller },
      ],
      readiness: readinessProbe({ tcp: true }, client),
      liveness: livenessProbe({ tcp: true }, controller),
      configMaps: [],
      // The launch script writes the final configs and kafka-run-class.sh its logs; nothing there outlives the pod.
      scratch: [
        { name: 'config', mountPath: KAFKA_CONFIG_PATH },
        { name: 'logs', mountPath: KAFKA_LOG_DIR },
      ],
      dataPath: KAFKA_DATA_PATH,
      storageSize: spec.ha.tempo.kafkaStorageSize,
    });
    disruptionBudget(this, { spec, ctx, component });
    componentNetworkPolicy(this, props, component);
  }
}
