// Loaded first by main.ts: instrumentations must patch http, express and grpc-js before they are required.
import { startTelemetry } from '@shouwang/kit/telemetry';

startTelemetry(process.env.SERVICE_NAME ?? 'gateway');
