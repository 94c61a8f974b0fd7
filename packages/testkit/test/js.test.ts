import test from 'ava';
import '@fovea/backend-js';
import { runConformance } from '../src/index.js';

runConformance(test, 'js');
