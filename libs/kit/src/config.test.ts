import { z } from 'zod';
import { baseConfigSchema, ConfigError, kafkaConfigSchema, mongoConfigSchema, parseConfig } from './config';

const schema = baseConfigSchema.extend(mongoConfigSchema.shape).extend(kafkaConfigSchema.shape);
const good = {
  SERVICE_NAME: 's',
  HTTP_PORT: '9100',
  MONGODB_URI: 'mongodb://127.0.0.1:27027/db',
  KAFKA_BROKERS: 'a:1, b:2',
};

describe('parseConfig', () => {
  it('parses, coerces and applies defaults', () => {
    const c = parseConfig(schema, good);
    expect(c.HTTP_PORT).toBe(9100);
    expect(c.KAFKA_BROKERS).toEqual(['a:1', 'b:2']);
    expect(c.LOG_LEVEL).toBe('info');
    expect(c.SHUTDOWN_TIMEOUT_MS).toBe(10000);
  });

  it.each([
    [{ ...good, HTTP_PORT: undefined }, 'HTTP_PORT', 'is required'],
    [{ ...good, HTTP_PORT: '70000' }, 'HTTP_PORT', undefined],
    [{ ...good, HTTP_PORT: 'eighty' }, 'HTTP_PORT', undefined],
    [{ ...good, MONGODB_URI: 'postgres://x' }, 'MONGODB_URI', 'must be a mongodb:// URI'],
    [{ ...good, LOG_LEVEL: 'loud' }, 'LOG_LEVEL', undefined],
    [{ ...good, KAFKA_BROKERS: undefined }, 'KAFKA_BROKERS', 'is required'],
  ])('names the bad variable (%#)', (env, variable, message) => {
    try {
      parseConfig(schema, env as NodeJS.ProcessEnv);
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const problem = (e as ConfigError).problems.find((p) => p.variable === variable);
      expect(problem).toBeDefined();
      if (message) expect(problem!.message).toBe(message);
      expect((e as Error).message).toContain(variable);
    }
  });

  it('reports every problem at once', () => {
    const e = (() => {
      try {
        parseConfig(z.object({ A: z.string(), B: z.string() }), {});
      } catch (err) {
        return err as ConfigError;
      }
    })();
    expect(e?.problems.map((p) => p.variable).sort()).toEqual(['A', 'B']);
  });
});
