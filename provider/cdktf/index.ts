/** cdktf constructs of a CloudLink tenancy. */
export { Tenancy, CustomerAccount, User, Integration, OrderAssignment, accountDigest } from './constructs.js';
export type { TenancyProps, CustomerAccountProps } from './constructs.js';
export { stableJson, withoutSources } from './canonical.js';
