// One namespace for the shouwang.feed.v1 package: the department feed records.
export * from './gen/shouwang/feed/v1/feed_records';
