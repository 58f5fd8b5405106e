export {
  PII_INDEX_KEY_MIN_BYTES,
  PII_KEY_BYTES,
  PII_KEY_ID_PATTERN,
  PiiCipher,
  PiiCryptoError,
  blindIndex,
  isPiiCiphertext,
  normaliseForIndex,
  piiKeyIdOf,
  type PiiCipherOptions,
  type PiiErrorCode,
} from './cipher';
export {
  SecretBytes,
  checkPiiConfig,
  piiCipherFromConfig,
  piiConfigProblems,
  piiConfigSchema,
  type PiiConfig,
} from './config';
