// Loaded with import() by connect() only (a chunk of its own): the AWS SDK's shared config file
// loader, CommonJS, imported statically here so esbuild gives it named exports.
export { getProfileName, loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
