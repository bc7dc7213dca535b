// Attribute names of the one table's keys, shared by the CDK table and the tests that compare it with the local table.

/** Partition key: starts with the tenant id, so one tenant's items never share a partition with another's. */
export const PARTITION_KEY = 'pk';

/** Sort key: the item's kind and id within the partition. */
export const SORT_KEY = 'sk';

/** Epoch seconds after which DynamoDB may delete the item (TTL); reads must still ignore expired items. */
export const TIME_TO_LIVE_ATTRIBUTE = 'expiresAt';
