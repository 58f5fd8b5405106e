import { randomUUID } from 'node:crypto';
import { context, propagation } from '@opentelemetry/api';
import { eventsV1, type EventDefinition } from '@shouwang/contracts';

export type Envelope = eventsV1.Envelope;

/** The W3C traceparent of the active span, or '' outside a trace. */
export function currentTraceparent(): string {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? '';
}

/** Wraps a payload in the platform envelope (ARCHITECTURE.md "Events"). */
export function createEnvelope<T>(def: EventDefinition<T>, subject: string, payload: T, source: string): Envelope {
  return {
    id: randomUUID(),
    type: def.type,
    source,
    time: new Date().toISOString(),
    subject,
    schemaVersion: def.schemaVersion,
    traceparent: currentTraceparent(),
    payload: Buffer.from(def.codec.encode(payload).finish()),
  };
}

export const encodeEnvelope = (e: Envelope): Buffer => Buffer.from(eventsV1.Envelope.encode(e).finish());
export const decodeEnvelope = (b: Uint8Array): Envelope => {
  const e = eventsV1.Envelope.decode(b);
  if (!e.id || !e.type) throw new Error('not an event envelope: id or type missing');
  return e;
};
