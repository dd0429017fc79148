/**
 * OpenStack Swift for the S3 credential tests: asked of src/storage/s3/testing-swift.ts itself, so
 * that the setup checks exactly the binaries those tests will start.
 */
import { swiftMissing } from '../../src/storage/s3/testing-swift.ts';
import type { Tool } from './tool.ts';

export const swift: Tool = {
  tool: 'OpenStack Swift',
  packages: ['swift-proxy', 'swift-account', 'swift-container', 'swift-object'],
  find() {
    const why = swiftMissing();
    return why === undefined ? { where: '/usr/bin (swift-proxy-server, swift-account-server, …)' } : { why };
  },
};
