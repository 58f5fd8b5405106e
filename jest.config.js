// One jest run for every test in the monorepo. Workspace packages resolve to their TypeScript
// sources so unit tests need no build; integration tests start the built services as real processes.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/libs', '<rootDir>/services', '<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }] },
  moduleNameMapper: {
    '^@shouwang/(contracts|domain|kit|devstack|cli)$': '<rootDir>/libs/$1/src',
    '^@shouwang/(contracts|domain|kit|devstack|cli)/(.*)$': '<rootDir>/libs/$1/src/$2',
  },
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/tests/summary-reporter.js'],
};
