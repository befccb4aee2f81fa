#!/usr/bin/env node
// Validates Kubernetes manifests against the API's own schemas: the validators of the npm package
// kubernetes-models, generated from the Kubernetes OpenAPI specification (installed into .testbed/node
// by install-test-deps.sh). Every document of every file is checked: apiVersion/kind pick the model;
// kustomize's Kustomization files are skipped (not an API resource). Usage: validate-manifests.cjs FILE...
'use strict';
const fs = require('fs');
const YAML = require('yaml');

let failures = 0;
let checked = 0;
for (const file of process.argv.slice(2)) {
  const docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'));
  docs.forEach((doc, i) => {
    const where = `${file}#${i + 1}`;
    if (doc.errors.length > 0) {
      console.log(`${where}: YAML error: ${doc.errors[0].message}`);
      failures++;
      return;
    }
    const obj = doc.toJS();
    if (obj === null || obj === undefined) {
      return;
    }
    if (obj.kind === 'Kustomization') {
      console.log(`${where}: Kustomization skipped`);
      return;
    }
    const [group, version] = String(obj.apiVersion).includes('/') ? obj.apiVersion.split('/') : [null, obj.apiVersion];
    const path = `kubernetes-models/${group ? group + '/' : ''}${version}/${obj.kind}`;
    let Model;
    try {
      const mod = require(path);
      Model = mod[obj.kind] || mod.default;
    } catch (e) {
      console.log(`${where}: unknown apiVersion/kind ${obj.apiVersion} ${obj.kind}`);
      failures++;
      return;
    }
    try {
      new Model(obj).validate();
      checked++;
      console.log(`${where}: ${obj.kind} ${obj.metadata && obj.metadata.name} ok`);
    } catch (e) {
      console.log(`${where}: ${obj.kind} invalid: ${e.message}`);
      failures++;
    }
  });
}
console.log(`${checked} resources valid, ${failures} invalid`);
process.exit(failures === 0 && checked > 0 ? 0 : 1);
