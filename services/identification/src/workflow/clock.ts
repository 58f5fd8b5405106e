// The workflows' clock is the kit's (shared with assistance); this module only names it for the workflow files.
export { clockFromConfig, fileClock, fixedClock, systemClock, type Clock } from '@shouwang/kit';
