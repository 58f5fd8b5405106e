import { HouseholdRegistered, HouseholdUpdated } from './gen/shouwang/identification/v1/household_events';

/** Encode/decode functions that ts-proto generates for every message. */
export interface Codec<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(input: Uint8Array): T;
}

/** A kind of event: its type name, the topic it travels on, its payload schema and version. */
export interface EventDefinition<T> {
  readonly type: string;
  readonly topic: string;
  readonly schemaVersion: number;
  readonly codec: Codec<T>;
}

function defineEvent<T>(type: string, topic: string, codec: Codec<T>, schemaVersion = 1): EventDefinition<T> {
  return { type, topic, codec, schemaVersion };
}

/** Topics, one per aggregate: shouwang.<service>.<aggregate>.v1; dead letters are <topic>.dlq. */
export const topics = {
  identificationHousehold: 'shouwang.identification.household.v1',
} as const;

export const dlqTopic = (topic: string): string => `${topic}.dlq`;

/** Every event type the platform publishes. */
export const events = {
  householdRegistered: defineEvent(
    'shouwang.identification.household.registered',
    topics.identificationHousehold,
    HouseholdRegistered,
  ),
  householdUpdated: defineEvent(
    'shouwang.identification.household.updated',
    topics.identificationHousehold,
    HouseholdUpdated,
  ),
} as const;
