// @shouwang/cli: the `shouwang` command line (bin: dist/main.js).
export { EXIT_HOUSEHOLD_FAILED, EXIT_OK, EXIT_USAGE, runShouwang, shouwangProgram, type CliIo } from './main';
export { MAX_DOCUMENT_CHARS, readHouseholds, type ReadItem } from './read-households';
