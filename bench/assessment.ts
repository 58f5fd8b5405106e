/**
 * Throughput of the pure assessment engine (DOMAIN.md §4, libs/domain assessHousehold) on synthetic
 * households, against baselines measured in the same process on the same households, so the ratios
 * hold on any machine even where the absolute numbers do not:
 *   - JSON round trip: JSON.parse(JSON.stringify(household)), the least any service does with one;
 *   - validation: validateHousehold alone, the registry's check, which the assessment also runs.
 * Each measurement: one warm-up pass (JIT, caches), then --runs timed passes; the median is reported.
 *
 *   npm run bench:assessment -- [--households 100000] [--runs 5] [--county 360731] [--seed 2021]
 *
 * A script that prints numbers, not a test: it asserts nothing about speed.
 */
import { availableParallelism, cpus, loadavg } from 'node:os';
import {
  assessHousehold,
  generateHouseholds,
  validateHousehold,
  type Household,
  type SyntheticHouseholdOptions,
} from '@shouwang/domain';

const YEAR = 2021;
const AS_OF = '2021-12-31';

/** The value after --name on the command line. */
function arg(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? undefined : process.argv[at + 1];
}

function wholeNumber(name: string, fallback: number): number {
  const text = arg(name);
  if (text === undefined) return fallback;
  if (!/^[0-9]+$/.test(text) || Number(text) < 1) throw new Error(`--${name} needs a whole number ≥ 1`);
  return Number(text);
}

interface Measurement {
  name: string;
  /** Households per second of each timed pass. */
  rates: number[];
  median: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Times `pass` over every household: one warm-up pass, then `runs` timed ones. `pass` returns a
 * number derived from its work, which is summed and printed, so no pass can be optimised away.
 */
function measure(name: string, households: readonly Household[], runs: number, pass: (h: Household) => number) {
  let checksum = 0;
  const once = (): number => {
    const start = process.hrtime.bigint();
    for (const h of households) checksum += pass(h);
    return households.length / (Number(process.hrtime.bigint() - start) / 1e9);
  };
  once();
  const rates = Array.from({ length: runs }, once);
  const m: Measurement = { name, rates, median: median(rates) };
  process.stdout.write(
    `  ${name.padEnd(28)} ${fmt(m.median).padStart(9)} households/s  (runs: ${rates.map(fmt).join(', ')}; checksum ${checksum})\n`,
  );
  return m;
}

const fmt = (rate: number): string => Math.round(rate).toLocaleString('en-US');

function main(): void {
  const n = wholeNumber('households', 100_000);
  const runs = wholeNumber('runs', 5);
  const options: SyntheticHouseholdOptions = {
    county: arg('county') ?? '360731',
    seed: wholeNumber('seed', 2021),
    year: YEAR,
    asOf: AS_OF,
  };
  const cpu = cpus()[0]?.model ?? 'unknown';
  process.stdout.write(
    `machine: ${availableParallelism()} CPUs (${cpu}), Node ${process.version}, load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}\n`,
  );
  const started = process.hrtime.bigint();
  const households = [...generateHouseholds(n, options)];
  const generatedIn = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(
    `households: ${fmt(n)} synthetic (county ${options.county}, seed ${options.seed}, income year ${YEAR}, ` +
      `as of ${AS_OF}), generated in ${generatedIn.toFixed(1)} s (${fmt(n / generatedIn)}/s); ` +
      `median of ${runs} timed passes after one warm-up pass\n`,
  );

  const json = measure(
    'JSON round trip',
    households,
    runs,
    (h) => (JSON.parse(JSON.stringify(h)) as Household).members.length,
  );
  const validate = measure('validateHousehold', households, runs, (h) =>
    validateHousehold(h, { asOf: AS_OF }).ok ? 1 : 0,
  );
  let objects = 0;
  const assess = measure('assessHousehold', households, runs, (h) => {
    const r = assessHousehold(h, { asOf: AS_OF });
    if (!r.ok) throw new Error(`a synthetic household failed to assess: ${r.error.code}`);
    if (r.result.monitoringObject) objects++;
    return r.result.features.length;
  });

  process.stdout.write(
    `monitoring objects: ${fmt(objects / (runs + 1))} of ${fmt(n)} households per pass\n` +
      `assessHousehold: ${(1e6 / assess.median).toFixed(1)} µs per household; ` +
      `${(validate.median / assess.median).toFixed(2)}× the cost of validateHousehold, ` +
      `${(json.median / assess.median).toFixed(2)}× the cost of a JSON round trip\n`,
  );
}

main();
