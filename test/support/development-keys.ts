// Every test (and every process a test starts with process.env) runs as on a developer machine: a key a test does
// not set is a development key. test/production/service-keys.e2e-spec.ts starts the service without it.
process.env.LOA_DEVELOPMENT_KEYS = 'true';
