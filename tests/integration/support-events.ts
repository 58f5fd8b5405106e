import { identificationV1 } from '@shouwang/contracts';
import { decodeEnvelope, type Envelope } from '@shouwang/kit';

export { decodeEnvelope };

/** The household carried by a HouseholdRegistered envelope. */
export function eventsV1Household(e: Envelope) {
  return identificationV1.HouseholdRegistered.decode(e.payload).household!;
}
