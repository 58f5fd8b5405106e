import { baseConfigSchema, grpcServerConfigSchema, kafkaConfigSchema, mongoConfigSchema } from './config';
import { identityConfigSchema } from './identity';

/**
 * What every gRPC service that owns data reads: its own MongoDB database, Kafka, the gRPC port and
 * the secret that verifies the callers' identities signed by the gateway.
 */
export const dataServiceConfigSchema = baseConfigSchema
  .extend(grpcServerConfigSchema.shape)
  .extend(mongoConfigSchema.shape)
  .extend(kafkaConfigSchema.shape)
  .extend(identityConfigSchema.shape);
