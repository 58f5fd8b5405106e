// Loaded first by main.ts: instrumentations must patch http and grpc-js before they are required.
import { startTelemetry } from '@shouwang/kit/telemetry';

startTelemetry(process.env.SERVICE_NAME ?? 'assistance');
