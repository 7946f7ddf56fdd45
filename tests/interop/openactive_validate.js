// Validate OpenActive JSON files with @openactive/data-model-validator, offline.
//
// Usage: node openactive_validate.js CACHE_DIR ACTIVITY_LIST FILE...
// Prints one JSON object: {FILE: [{severity, type, path, message}, ...], ...}.
//
// The network is closed (the validator's HTTP client refuses every request),
// and the OpenActive Activity List is the vendored copy ACTIVITY_LIST, put in
// the validator's own file cache so that its activity rule reads it there.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const validatorDir = path.dirname(require.resolve('@openactive/data-model-validator/package.json'));
const axios = require(require.resolve('axios', { paths: [validatorDir] }));
axios.get = (url) => Promise.reject(new Error(`offline: refused to fetch ${url}`));
const { validate } = require('@openactive/data-model-validator');

const ACTIVITY_LIST_URL = 'https://openactive.io/activity-list';

function cacheActivityList(cacheDir, listFile) {
  const key = crypto.createHash('sha256').update(ACTIVITY_LIST_URL).digest('hex');
  const entry = {
    errorCode: 'error_none',
    data: JSON.parse(fs.readFileSync(listFile, 'utf8')),
    statusCode: 200,
    url: ACTIVITY_LIST_URL,
    exception: null,
    contentType: 'application/ld+json',
    fetchTime: Date.now(),
  };
  fs.writeFileSync(path.join(cacheDir, `${key}.json`), JSON.stringify(entry));
}

(async () => {
  const [cacheDir, listFile, ...files] = process.argv.slice(2);
  cacheActivityList(cacheDir, listFile);
  const options = {
    loadRemoteJson: true,
    remoteJsonCachePath: cacheDir,
    remoteJsonCacheTimeToLive: 3600,
    rpdeItemLimit: 100000,
  };
  const report = {};
  for (const file of files) {
    const data = JSON.parse(fs.readFileSync(file, 'utf8'));
    const found = await validate(data, options);
    report[file] = found.map((e) => ({
      severity: e.severity, type: e.type, path: e.path, message: e.message,
    }));
  }
  process.stdout.write(JSON.stringify(report));
})().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error));
  process.exit(2);
});
