// Loaded by path (DataConverter.failureConverterPath) both in the worker and in
// the workflow sandbox, hence plain CommonJS. Failure messages and stack traces
// are encoded (so encrypted by the payload codec): they may quote user input.
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
