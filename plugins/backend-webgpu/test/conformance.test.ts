import test from 'ava';
import { runConformance } from '@fovea/testkit';
import { registration } from '../src/index.js';

// The whole kit on the webgpu backend (SwiftShader in CI). Without an adapter the package does
// not register itself, and this says why instead of failing.
if (registration.registered) runConformance(test, 'webgpu');
else test.skip(`webgpu conformance — backend not registered: ${registration.reason}`, () => undefined);
